// Dragging a threshold line of the score histogram: the handle under the pointer follows it, and the
// component hears where (in the chart's own x units) about twenty times a second, then once on release.
export function attach(svg, component) {
    if (!svg || svg.dataset.dragging) return;
    svg.dataset.dragging = 'ready';
    let handle = null, last = 0;
    const chartX = event => {
        const point = svg.createSVGPoint();
        point.x = event.clientX;
        point.y = event.clientY;
        return point.matrixTransform(svg.getScreenCTM().inverse()).x;
    };
    svg.addEventListener('pointerdown', event => {
        const target = event.target.closest && event.target.closest('[data-handle]');
        if (!target || event.button !== 0) return;
        handle = target.dataset.handle;
        svg.setPointerCapture(event.pointerId);
        event.preventDefault();
    });
    svg.addEventListener('pointermove', event => {
        if (!handle) return;
        const now = performance.now();
        if (now - last < 50) return;
        last = now;
        component.invokeMethodAsync('Dragged', handle, chartX(event), false).catch(() => { });
    });
    svg.addEventListener('pointerup', event => {
        if (!handle) return;
        component.invokeMethodAsync('Dragged', handle, chartX(event), true).catch(() => { });
        handle = null;
    });
    svg.addEventListener('pointercancel', () => { handle = null; });
}
