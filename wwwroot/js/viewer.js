// The image viewer's heatmap, drawn in the page from the run's stored map values: coloured at the
// run's scale or the image's own, transparent where low, with outlines where the map passes the NG
// threshold and around the ground-truth mask; and the panes' zoom and pan kept in step.

const maps = new Map();      // values URL -> Promise of { width, height, values } or null
const masks = new Map();     // mask URL -> Promise of an HTMLImageElement or null
const Side = 448;            // the canvas's resolution; the page stretches it over the image

function remember(cache, key, load) {
    if (!cache.has(key)) {
        cache.set(key, load());
        if (cache.size > 48) cache.delete(cache.keys().next().value);
    }
    return cache.get(key);
}

// A map values file (HeatmapValues: "FAM1", sides, range, uint16 levels) as { width, height, values }, or null.
function parseValues(buffer) {
    const view = new DataView(buffer);
    if (view.byteLength < 16 || String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3)) !== 'FAM1') return null;
    const width = view.getUint16(4, true), height = view.getUint16(6, true);
    const lo = view.getFloat32(8, true), hi = view.getFloat32(12, true);
    if (view.byteLength !== 16 + 2 * width * height) return null;
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = lo + (hi - lo) * view.getUint16(16 + 2 * i, true) / 65535;
    return { width, height, values };
}

function loadValues(url) {
    return remember(maps, url, async () => {
        const reply = await fetch(url, { credentials: 'same-origin' });
        return reply.ok ? parseValues(await reply.arrayBuffer()) : null;
    });
}

// Values the page holds itself (a newly scored image's, never stored), base64.
function inlineValues(base64) {
    return remember(maps, 'inline:' + base64, async () => parseValues(Uint8Array.from(atob(base64), c => c.charCodeAt(0)).buffer));
}

function loadImage(url) {
    return remember(masks, url, () => new Promise(resolve => {
        const image = new Image();
        image.onload = () => resolve(image);
        image.onerror = () => resolve(null);
        image.src = url;
    }));
}

function palette(hex) {
    const colours = new Uint8Array(hex.length / 2);
    for (let i = 0; i < colours.length; i++) colours[i] = parseInt(hex.substr(2 * i, 2), 16);
    return colours;
}

// Bilinear samples of the map at the canvas's pixel centres (half-pixel alignment, as the server's upsampling).
function resample(map) {
    const out = new Float32Array(Side * Side);
    const { width: w, height: h, values } = map;
    for (let y = 0; y < Side; y++) {
        const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * h / Side - 0.5));
        const y0 = Math.floor(fy), y1 = Math.min(h - 1, y0 + 1), dy = fy - y0;
        for (let x = 0; x < Side; x++) {
            const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * w / Side - 0.5));
            const x0 = Math.floor(fx), x1 = Math.min(w - 1, x0 + 1), dx = fx - x0;
            const top = values[y0 * w + x0] * (1 - dx) + values[y0 * w + x1] * dx;
            const bottom = values[y1 * w + x0] * (1 - dx) + values[y1 * w + x1] * dx;
            out[y * Side + x] = top * (1 - dy) + bottom * dy;
        }
    }
    return out;
}

// Marks the pixels on either side of where inside() changes, two pixels wide.
function outline(pixels, inside, r, g, b) {
    for (let y = 0; y < Side; y++) {
        for (let x = 0; x < Side; x++) {
            const here = inside(y * Side + x);
            const right = x + 1 < Side && inside(y * Side + x + 1) !== here;
            const down = y + 1 < Side && inside((y + 1) * Side + x) !== here;
            if (!right && !down) continue;
            for (const i of [y * Side + x, right ? y * Side + x + 1 : (y + 1) * Side + x]) {
                pixels[4 * i] = r; pixels[4 * i + 1] = g; pixels[4 * i + 2] = b; pixels[4 * i + 3] = 255;
            }
        }
    }
}

// options: valuesUrl or values (the values file itself, base64), fallbackUrl (the stored PNG, for runs scored before values were kept), maskUrl,
// scale ('run' or 'image'), runMin, runMax, threshold (NG, in map units), showThreshold, showMask, colours (RRGGBB hex x 256).
// Returns [low, high] of the scale used, or null when only the stored PNG could be shown.
export async function drawHeatmap(canvas, options) {
    if (!canvas) return null;
    const context = canvas.getContext('2d');
    canvas.width = Side;
    canvas.height = Side;
    const map = options.values ? await inlineValues(options.values) : options.valuesUrl ? await loadValues(options.valuesUrl) : null;
    let range = null;
    const image = context.createImageData(Side, Side);
    const pixels = image.data;
    if (map) {
        const values = resample(map);
        let lo = options.runMin, hi = options.runMax;
        if (options.scale === 'image') {
            lo = Infinity; hi = -Infinity;
            for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
        }
        if (!(hi > lo)) hi = lo + 1e-6;
        const colours = palette(options.colours);
        for (let i = 0; i < values.length; i++) {
            const t = Math.min(1, Math.max(0, (values[i] - lo) / (hi - lo)));
            if (t <= 0) continue;
            const k = Math.min(255, Math.floor(t * 256));
            pixels[4 * i] = colours[3 * k]; pixels[4 * i + 1] = colours[3 * k + 1]; pixels[4 * i + 2] = colours[3 * k + 2];
            pixels[4 * i + 3] = Math.round(255 * Math.min(1, t * 4));
        }
        if (options.showThreshold && Number.isFinite(options.threshold)) outline(pixels, i => values[i] >= options.threshold, 255, 255, 255);
        range = [lo, hi];
    }
    if (options.showMask && options.maskUrl) {
        const mask = await loadImage(options.maskUrl);
        if (mask) {
            const scratch = document.createElement('canvas');
            scratch.width = Side;
            scratch.height = Side;
            const scratchContext = scratch.getContext('2d');
            scratchContext.drawImage(mask, 0, 0, Side, Side);
            const maskPixels = scratchContext.getImageData(0, 0, Side, Side).data;
            outline(pixels, i => maskPixels[4 * i] > 127, 0, 229, 255);
        }
    }
    if (map) {
        context.putImageData(image, 0, 0);
    } else if (options.fallbackUrl) {
        const stored = await loadImage(options.fallbackUrl);
        context.clearRect(0, 0, Side, Side);
        if (stored) context.drawImage(stored, 0, 0, Side, Side);
        const over = document.createElement('canvas');
        over.width = Side;
        over.height = Side;
        over.getContext('2d').putImageData(image, 0, 0);
        context.drawImage(over, 0, 0);
    }
    canvas.dataset.drawn = map ? options.scale : 'stored';
    return range;
}

// Scrolling or dragging one pane moves the others the same way; one listener, so panes that come and go stay in step.
export function syncPanes(container) {
    if (!container || container.dataset.synced) return;
    container.dataset.synced = 'true';
    let syncing = false;
    container.addEventListener('scroll', event => {
        const source = event.target;
        if (syncing || !source.classList || !source.classList.contains('funad-viewer-pane')) return;
        syncing = true;
        for (const pane of container.querySelectorAll('.funad-viewer-pane')) {
            if (pane !== source) { pane.scrollLeft = source.scrollLeft; pane.scrollTop = source.scrollTop; }
        }
        requestAnimationFrame(() => { syncing = false; });
    }, true);
    let drag = null;
    container.addEventListener('pointerdown', event => {
        const pane = event.target.closest && event.target.closest('.funad-viewer-pane');
        if (!pane || event.button !== 0) return;
        drag = { pane, x: event.clientX, y: event.clientY, left: pane.scrollLeft, top: pane.scrollTop };
        pane.setPointerCapture(event.pointerId);
        event.preventDefault();
    });
    container.addEventListener('pointermove', event => {
        if (!drag) return;
        drag.pane.scrollLeft = drag.left - (event.clientX - drag.x);
        drag.pane.scrollTop = drag.top - (event.clientY - drag.y);
    });
    const stop = () => { drag = null; };
    container.addEventListener('pointerup', stop);
    container.addEventListener('pointercancel', stop);
}

// After the zoom changed by `ratio`, keeps each pane's centre where it was.
export function keepCentre(container, ratio) {
    if (!container) return;
    for (const pane of container.querySelectorAll('.funad-viewer-pane')) {
        const cx = (pane.scrollLeft + pane.clientWidth / 2) * ratio - pane.clientWidth / 2;
        const cy = (pane.scrollTop + pane.clientHeight / 2) * ratio - pane.clientHeight / 2;
        pane.scrollLeft = Math.max(0, cx);
        pane.scrollTop = Math.max(0, cy);
    }
}
