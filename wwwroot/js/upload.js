// Uploads dropped or chosen files, folders and zip archives to the upload API in batches, with a
// byte-level progress bar. Each file goes with its relative path (folder uploads keep their layout,
// which is how MVTec-style labels are recognised). Verdicts come back per batch and are handed to the
// page in small chunks: one Blazor message has a size limit (32 KB), and a zip's verdicts exceed it.

const maxBatchFiles = 100;
const maxBatchBytes = 32 * 1024 * 1024;
const maxChunkChars = 16 * 1024;

// What an upload that stopped on an error still had to send, for resume().
let unsent = null;

export function attach(zone, filesInput, folderInput, url, dotnet) {
    const start = files => upload(ordered(files), url, dotnet);
    filesInput.addEventListener('change', () => { start([...filesInput.files].map(f => ({ file: f, path: f.name }))); filesInput.value = ''; });
    folderInput.addEventListener('change', () => { start([...folderInput.files].map(f => ({ file: f, path: f.webkitRelativePath || f.name }))); folderInput.value = ''; });
    zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('dragging'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', async e => {
        e.preventDefault();
        zone.classList.remove('dragging');
        const entries = [...e.dataTransfer.items].map(i => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(x => x);
        const files = entries.length > 0
            ? (await Promise.all(entries.map(walk))).flat()
            : [...e.dataTransfer.files].map(f => ({ file: f, path: f.name }));
        start(files);
    });
    // Files chosen before this point would go unseen: tests (and the curious) can wait for it.
    zone.dataset.ready = 'true';
}

// A dropped folder: every file under it, with its path relative to the drop.
async function walk(entry) {
    if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        return [{ file, path: entry.fullPath.replace(/^\//, '') }];
    }
    const reader = entry.createReader();
    const children = [];
    for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        children.push(...batch);
    }
    return (await Promise.all(children.map(walk))).flat();
}

// Good folders first and masks last: a batch's defect images then find their good sibling, and masks
// their images, already stored (the server pairs across batches either way; this keeps verdicts final).
function rank(path) {
    const folders = path.toLowerCase().split('/').slice(0, -1);
    return folders.includes('ground_truth') ? 2 : folders.includes('good') ? 0 : 1;
}

function ordered(files) {
    return files.map((f, i) => ({ f, i, r: rank(f.path) }))
        .sort((a, b) => a.r - b.r || a.i - b.i)
        .map(x => x.f);
}

// A batch's verdicts in pieces that each fit in one message to the page.
function chunks(verdicts) {
    const result = [];
    let current = [], chars = 0;
    for (const v of verdicts) {
        const item = { name: v.name, outcome: v.outcome, reason: v.reason };
        const size = JSON.stringify(item).length;
        if (current.length > 0 && chars + size > maxChunkChars) {
            result.push(current);
            current = [];
            chars = 0;
        }
        current.push(item);
        chars += size;
    }
    if (current.length > 0) result.push(current);
    return result;
}

function batches(files) {
    const result = [];
    let current = [], bytes = 0;
    for (const f of files) {
        if (current.length > 0 && (current.length >= maxBatchFiles || bytes + f.file.size > maxBatchBytes)) {
            result.push(current);
            current = [];
            bytes = 0;
        }
        current.push(f);
        bytes += f.file.size;
    }
    if (current.length > 0) result.push(current);
    return result;
}

// Sends again what the last upload could not (files stored before the failure come back as duplicates).
export function resume() {
    if (!unsent) return;
    const { files, url, dotnet } = unsent;
    unsent = null;
    upload(files, url, dotnet);
}

// Failures worth trying again by themselves: the network, a server restarting or busy.
function transient(error) {
    return error.status === 0 || error.status === 429 || error.status >= 500;
}

async function postWithRetries(url, form, onProgress) {
    const waits = [1000, 3000];
    for (let attempt = 0; ; attempt++) {
        try {
            return await post(url, form, onProgress);
        } catch (e) {
            if (attempt >= waits.length || !transient(e)) throw e;
            await new Promise(resolve => setTimeout(resolve, waits[attempt]));
        }
    }
}

async function upload(files, url, dotnet) {
    if (files.length === 0) return;
    unsent = null;
    const total = files.reduce((s, f) => s + f.file.size, 0);
    // The page's live connection may drop during a long upload (a restart, a network blip); the upload
    // itself goes on over plain HTTP, and the page is told what happened in a notice that survives.
    let connected = true;
    const tell = async (method, ...args) => {
        if (!connected) return;
        try { await dotnet.invokeMethodAsync(method, ...args); } catch { connected = false; }
    };
    const counts = { accepted: 0, duplicate: 0, refused: 0 };
    await tell('OnStarted', files.length, total);
    let done = 0, error = null, remaining = 0;
    const all = batches(files);
    let index = 0;
    try {
        for (; index < all.length; index++) {
            const batch = all[index];
            const form = new FormData();
            for (const f of batch) {
                form.append('path', f.path);
                form.append('files', f.file, f.path);
            }
            const size = batch.reduce((s, f) => s + f.file.size, 0);
            const reply = await postWithRetries(url, form, loaded => tell('OnProgress', done + Math.min(loaded, size)));
            done += size;
            for (const v of reply.files) counts[v.outcome] = (counts[v.outcome] || 0) + 1;
            await tell('OnProgress', done);
            for (const chunk of chunks(reply.files)) await tell('OnVerdicts', chunk);
            await tell('OnBatchDone', reply.accepted);
        }
    } catch (e) {
        error = String(e.message || e);
        const left = all.slice(index).flat();
        remaining = left.length;
        unsent = { files: left, url, dotnet };
    }
    await tell('OnFinished', error, remaining);
    if (!connected) showDisconnected(counts, error);
}

// Written into the page by hand: with the connection gone, the component can no longer render.
function showDisconnected(counts, error) {
    let notice = document.getElementById('upload-disconnected');
    if (!notice) {
        notice = document.createElement('div');
        notice.id = 'upload-disconnected';
        notice.className = 'funad-upload-notice';
        const zone = document.getElementById('upload-zone');
        (zone ? zone.parentElement : document.body).prepend(notice);
    }
    notice.textContent = `The page lost its connection to the server during the upload. ${error ? 'The upload stopped: ' + error + '. ' : 'The upload finished: '}`
        + `${counts.accepted} accepted, ${counts.duplicate} duplicates, ${counts.refused} refused. Reload the page to see the images; `
        + 'uploading the same files again is safe (stored ones come back as duplicates). ';
    const reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = 'Reload';
    reload.addEventListener('click', () => location.reload());
    notice.append(reload);
}

function post(url, form, onProgress) {
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', url);
        xhr.responseType = 'json';
        xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded); };
        xhr.onload = () => {
            if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
            else // Errors are problem details: the reason is in 'detail'.
            reject(Object.assign(new Error((xhr.response && xhr.response.detail) || `the server answered ${xhr.status}`), { status: xhr.status }));
        };
        xhr.onerror = () => reject(Object.assign(new Error('the connection failed'), { status: 0 }));
        xhr.send(form);
    });
}
