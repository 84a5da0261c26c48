// Reports a tile grid's width to its component whenever it changes, so the number of columns
// follows the window (and the tile size the reviewer picked).
const observers = new WeakMap();

export function watchWidth(element, component) {
    if (!element || observers.has(element)) return;
    let last = -1;
    const report = () => {
        const width = Math.round(element.clientWidth);
        if (width === last || width === 0) return;
        last = width;
        component.invokeMethodAsync('OnWidthChanged', width).catch(() => { });
    };
    const observer = new ResizeObserver(report);
    observer.observe(element);
    observers.set(element, observer);
    report();
}

export function unwatch(element) {
    const observer = element && observers.get(element);
    if (observer) {
        observer.disconnect();
        observers.delete(element);
    }
}
