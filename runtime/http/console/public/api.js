// Same-origin fetches only (the page's CSP allows no other): the session cookie rides along.
async function call(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 401) {
    location.assign('/ui/login');
    throw new Error('signed out');
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message ?? `${method} ${path}: HTTP ${res.status}`);
  return data;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body ?? {});

/** One EventSource for the whole page; `on(name, fn)` returns its own unsubscribe. */
export function liveStream(onState) {
  const listeners = new Map();
  const last = new Map();
  const source = new EventSource('/ui/api/stream');
  // the stream sends the 15-minute series once, then one point a sample: kept here for every page
  let series = [];
  const withSeries = (o) => {
    if (o.series) series = o.series.slice();
    else if (o.point && (!series.length || o.point.t > series[series.length - 1].t)) series.push(o.point);
    while (series.length && series[0].t < Date.now() - 15 * 60_000) series.shift();
    return { ...o, series };
  };
  for (const name of ['overview', 'bindings', 'job']) {
    source.addEventListener(name, (e) => {
      const data = name === 'overview' ? withSeries(JSON.parse(e.data)) : JSON.parse(e.data);
      last.set(name, data);
      for (const fn of listeners.get(name) ?? []) fn(data);
    });
  }
  source.addEventListener('open', () => onState('live'));
  source.addEventListener('error', () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  return {
    on(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      if (last.has(name) && name !== 'job') fn(last.get(name));
      return () => listeners.get(name).delete(fn);
    },
  };
}
