// Uploads dropped or chosen files, folders and zip archives to the upload API in batches, with a
// byte-level progress bar. Each file goes with its relative path (folder uploads keep their layout,
// which is how MVTec-style labels are recognised). Verdicts come back per batch.

const maxBatchFiles = 100;
const maxBatchBytes = 32 * 1024 * 1024;

export function attach(zone, filesInput, folderInput, url, dotnet) {
    const start = files => upload(files, url, dotnet);
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

async function upload(files, url, dotnet) {
    if (files.length === 0) return;
    const total = files.reduce((s, f) => s + f.file.size, 0);
    await dotnet.invokeMethodAsync('OnStarted', files.length, total);
    let done = 0;
    try {
        for (const batch of batches(files)) {
            const form = new FormData();
            for (const f of batch) {
                form.append('path', f.path);
                form.append('files', f.file, f.path);
            }
            const size = batch.reduce((s, f) => s + f.file.size, 0);
            const reply = await post(url, form, loaded => dotnet.invokeMethodAsync('OnProgress', done + Math.min(loaded, size)));
            done += size;
            await dotnet.invokeMethodAsync('OnProgress', done);
            await dotnet.invokeMethodAsync('OnBatch', reply);
        }
        await dotnet.invokeMethodAsync('OnFinished', null);
    } catch (error) {
        await dotnet.invokeMethodAsync('OnFinished', String(error.message || error));
    }
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
            reject(new Error((xhr.response && xhr.response.detail) || `the server answered ${xhr.status}`));
        };
        xhr.onerror = () => reject(new Error('the connection failed'));
        xhr.send(form);
    });
}
