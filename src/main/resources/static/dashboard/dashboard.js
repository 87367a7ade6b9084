/*
 * Gatehouse dashboard: polls GET /dashboard/api/summary once a second and updates the page in place.
 * Rates (bytes/s, new connections/s) are computed here from two readings of counters that only grow, so one
 * cheap request carries everything however many listeners there are. The DOM of a gateway is built once and
 * then only its changed texts are written; a gateway is rebuilt only when its listeners or servers change.
 */
(function () {
  'use strict';

  var SUMMARY = '/dashboard/api/summary';
  var POLL_MS = 1000;
  var HISTORY = 180;
  var TOKEN_KEY = 'gatehouse.dashboard.token';

  var state = {
    previous: null,        // {at: ms, counters: {key: {accepted, bytesIn, bytesOut}}}
    gateways: new Map(),   // gateway id -> {el, signature, cells}
    operationsSignature: '',
    polls: 0,
    renderMillis: 0,       // how long the last summary took to show, for judging the page's cost
    history: {t: [], in: [], out: [], active: [], cps: []}
  };

  // ---- Token: taken once from a #token= fragment (then removed from the address bar), kept per tab. ----

  function takeTokenFromFragment() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  function headers() {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var h = {'Accept': 'application/json'};
    if (token) {
      h['Authorization'] = 'Bearer ' + token;
    }
    return h;
  }

  // ---- Formatting ----

  function bytes(n) {
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (Math.abs(n) >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    return (i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 2 : 1)) + ' ' + units[i];
  }

  function perSecond(n) {
    return n == null ? '–' : bytes(n) + '/s';
  }

  function count(n) {
    return n == null ? '–' : (n < 10 && n % 1 !== 0 ? n.toFixed(1) : Math.round(n).toLocaleString('en'));
  }

  function ago(iso, nowMs) {
    if (!iso) {
      return '–';
    }
    var s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
    if (s < 60) {
      return s + ' s ago';
    }
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ago';
    }
    if (s < 86400) {
      return Math.floor(s / 3600) + ' h ago';
    }
    return Math.floor(s / 86400) + ' d ago';
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString('en-GB') : '–';
  }

  // ---- DOM helpers ----

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text != null) {
      e.textContent = text;
    }
    return e;
  }

  /** Writes only what changed: most polls change a few numbers of a few rows. */
  function setText(node, text) {
    if (node.textContent !== text) {
      node.textContent = text;
    }
  }

  function setBadge(node, value) {
    setText(node, value);
    var cls = 'badge ' + value;
    if (node.className !== cls) {
      node.className = cls;
    }
  }

  function headRow(table, names, numeric) {
    var tr = el('tr');
    names.forEach(function (n, i) {
      tr.appendChild(el('th', numeric[i] ? 'num' : '', n));
    });
    table.appendChild(el('thead')).appendChild(tr);
  }

  // ---- Charts (uPlot, bundled) ----

  var charts = {};

  function makeChart(id, title, labels, format) {
    var target = document.getElementById(id);
    var colors = ['#175cd3', '#d9822b'];
    var series = [{}];
    labels.forEach(function (label, i) {
      series.push({
        label: label,
        stroke: colors[i],
        width: 2,
        fill: i === 0 ? 'rgba(23,92,211,0.08)' : undefined,
        value: function (u, v) { return v == null ? '–' : format(v); }
      });
    });
    return new uPlot({
      title: title,
      width: Math.max(300, target.clientWidth - 16),
      height: 220,
      series: series,
      // Labels only: values under the cursor are not worth a row of dashes when no cursor is there.
      legend: {live: false},
      scales: {x: {time: true}, y: {range: function (u, min, max) { return [0, Math.max(max, 1) * 1.1]; }}},
      axes: [{}, {size: 80, values: function (u, vals) { return vals.map(format); }}]
    }, [[]].concat(labels.map(function () { return []; })), target);
  }

  function initCharts() {
    charts.throughput = makeChart('chart-throughput', 'Throughput', ['in (from clients)', 'out (to clients)'],
        perSecond);
    charts.connections = makeChart('chart-connections', 'Connections', ['open', 'new/s'], count);
    window.addEventListener('resize', function () {
      Object.keys(charts).forEach(function (k) {
        var c = charts[k];
        c.setSize({width: Math.max(300, c.root.parentNode.clientWidth - 16), height: 220});
      });
    });
  }

  function pushHistory(atMs, totals) {
    var h = state.history;
    h.t.push(atMs / 1000);
    h.in.push(totals.inRate);
    h.out.push(totals.outRate);
    h.active.push(totals.active);
    h.cps.push(totals.cps);
    if (h.t.length > HISTORY) {
      Object.keys(h).forEach(function (k) { h[k].shift(); });
    }
    charts.throughput.setData([h.t, h.in, h.out]);
    charts.connections.setData([h.t, h.active, h.cps]);
  }

  // ---- Gateways ----

  function signature(g) {
    return JSON.stringify([g.listeners.map(function (l) { return [l.name, l.protocol, l.address]; }),
      g.pools.map(function (p) { return [p.name, p.servers.map(function (s) { return s.server + '|' + s.settings; })]; })]);
  }

  function buildGateway(g) {
    var section = el('section', 'gateway');
    section.dataset.gateway = g.name;
    var header = section.appendChild(el('header'));
    header.appendChild(el('h3', '', g.name));
    header.appendChild(el('span', 'rg', g.resourceGroup));
    var cells = {
      provisioning: header.appendChild(el('span', 'badge')),
      operational: header.appendChild(el('span', 'badge')),
      error: section.appendChild(el('p', 'error')),
      listeners: new Map(),
      servers: new Map()
    };
    cells.provisioning.title = 'provisioningState';
    cells.operational.title = 'operationalState';

    var listeners = section.appendChild(el('table', 'listeners'));
    headRow(listeners, ['Listener', 'Protocol', 'Address', 'Open', 'New/s', 'In/s', 'Out/s', 'Relayed'],
        [false, false, false, true, true, true, true, true]);
    var lbody = listeners.appendChild(el('tbody'));
    g.listeners.forEach(function (l) {
      var tr = lbody.appendChild(el('tr'));
      tr.dataset.listener = l.name;
      tr.appendChild(el('td', '', l.name));
      tr.appendChild(el('td', '', l.protocol));
      tr.appendChild(el('td', '', l.address));
      cells.listeners.set(l.name, {
        active: tr.appendChild(el('td', 'num active')),
        cps: tr.appendChild(el('td', 'num cps')),
        inRate: tr.appendChild(el('td', 'num in-rate')),
        outRate: tr.appendChild(el('td', 'num out-rate')),
        total: tr.appendChild(el('td', 'num total'))
      });
    });

    var servers = section.appendChild(el('table', 'servers'));
    headRow(servers, ['Backend pool', 'Server', 'Settings', 'Health', 'Reason', 'Since'],
        [false, false, false, false, false, false]);
    var sbody = servers.appendChild(el('tbody'));
    g.pools.forEach(function (p) {
      p.servers.forEach(function (s) {
        var tr = sbody.appendChild(el('tr'));
        tr.dataset.pool = p.name;
        tr.dataset.server = s.address;
        tr.appendChild(el('td', '', p.name));
        tr.appendChild(el('td', '', s.server));
        tr.appendChild(el('td', '', s.settings));
        var health = el('span', 'badge');
        tr.appendChild(el('td', 'health')).appendChild(health);
        cells.servers.set(p.name + '|' + s.server + '|' + s.settings, {
          health: health,
          reason: tr.appendChild(el('td', 'reason')),
          since: tr.appendChild(el('td', 'since'))
        });
      });
    });
    if (g.pools.length === 0) {
      sbody.appendChild(el('tr')).appendChild(el('td', 'empty', 'No probed servers (the gateway is stopped, '
          + 'or not applied yet).')).colSpan = 6;
    }
    return {el: section, signature: signature(g), cells: cells};
  }

  function updateGateway(view, g, rates, nowMs) {
    var c = view.cells;
    setBadge(c.provisioning, g.provisioningState);
    setBadge(c.operational, g.operationalState);
    setText(c.error, g.error || '');
    g.listeners.forEach(function (l) {
      var cell = c.listeners.get(l.name);
      var r = rates[g.id + '/' + l.name];
      setText(cell.active, count(l.active));
      setText(cell.cps, r ? count(r.cps) : '–');
      setText(cell.inRate, r ? perSecond(r.inRate) : '–');
      setText(cell.outRate, r ? perSecond(r.outRate) : '–');
      setText(cell.total, bytes(l.bytesIn + l.bytesOut));
    });
    g.pools.forEach(function (p) {
      p.servers.forEach(function (s) {
        var cell = c.servers.get(p.name + '|' + s.server + '|' + s.settings);
        setBadge(cell.health, s.health);
        setText(cell.reason, s.reason || '');
        setText(cell.since, ago(s.since, nowMs));
        cell.since.title = s.since || '';
      });
    });
  }

  function renderGateways(summary, rates, nowMs) {
    var container = document.getElementById('gateways');
    var seen = new Set();
    summary.gateways.forEach(function (g) {
      seen.add(g.id);
      var view = state.gateways.get(g.id);
      var sig = signature(g);
      if (!view || view.signature !== sig) {
        var built = buildGateway(g);
        if (view) {
          container.replaceChild(built.el, view.el);
        } else {
          container.appendChild(built.el);
        }
        view = built;
        state.gateways.set(g.id, view);
      }
      updateGateway(view, g, rates, nowMs);
    });
    state.gateways.forEach(function (view, id) {
      if (!seen.has(id)) {
        view.el.remove();
        state.gateways.delete(id);
      }
    });
    document.getElementById('no-gateways').hidden = summary.gateways.length > 0;
  }

  // ---- Operations ----

  function gatewayName(resourceId) {
    return resourceId ? resourceId.substring(resourceId.lastIndexOf('/') + 1) : '';
  }

  function renderOperations(operations) {
    var sig = JSON.stringify(operations.map(function (o) { return [o.name, o.status]; }));
    if (sig === state.operationsSignature) {
      return;
    }
    state.operationsSignature = sig;
    var body = document.getElementById('operations');
    var rows = document.createDocumentFragment();
    operations.forEach(function (o) {
      var tr = el('tr');
      tr.appendChild(el('td', '', time(o.startTime)));
      tr.appendChild(el('td', '', o.operation));
      tr.appendChild(el('td', '', gatewayName(o.resourceId))).title = o.resourceId || '';
      var status = el('span');
      setBadge(status, o.status);
      tr.appendChild(el('td')).appendChild(status);
      tr.appendChild(el('td', '', time(o.endTime)));
      tr.appendChild(el('td', 'reason', o.error || ''));
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
  }

  // ---- Rates from two readings ----

  function rates(summary, atMs) {
    var counters = {};
    var perListener = {};
    var totals = {inRate: 0, outRate: 0, cps: 0, active: 0, bytes: 0};
    var prev = state.previous;
    var dt = prev ? (atMs - prev.at) / 1000 : 0;
    summary.gateways.forEach(function (g) {
      g.listeners.forEach(function (l) {
        var key = g.id + '/' + l.name;
        counters[key] = {accepted: l.accepted, bytesIn: l.bytesIn, bytesOut: l.bytesOut};
        totals.active += l.active;
        totals.bytes += l.bytesIn + l.bytesOut;
        var p = prev && prev.counters[key];
        if (p && dt > 0) {
          // A counter that went down belongs to a restarted process: no rate for that interval.
          var r = {
            cps: Math.max(0, l.accepted - p.accepted) / dt,
            inRate: Math.max(0, l.bytesIn - p.bytesIn) / dt,
            outRate: Math.max(0, l.bytesOut - p.bytesOut) / dt
          };
          perListener[key] = r;
          totals.cps += r.cps;
          totals.inRate += r.inRate;
          totals.outRate += r.outRate;
        }
      });
    });
    state.previous = {at: atMs, counters: counters};
    return {perListener: perListener, totals: totals, hasRates: dt > 0};
  }

  // ---- Polling ----

  function show(summary) {
    var started = performance.now();
    var atMs = Date.parse(summary.at);
    var r = rates(summary, atMs);
    renderGateways(summary, r.perListener, atMs);
    renderOperations(summary.operations);
    setText(document.getElementById('total-active'), count(r.totals.active));
    setText(document.getElementById('total-bytes'), bytes(r.totals.bytes));
    if (r.hasRates) {
      setText(document.getElementById('total-in-rate'), perSecond(r.totals.inRate));
      setText(document.getElementById('total-out-rate'), perSecond(r.totals.outRate));
      setText(document.getElementById('total-cps'), count(r.totals.cps));
      pushHistory(atMs, r.totals);
    }
    state.polls++;
    state.renderMillis = performance.now() - started;
    var status = document.getElementById('status');
    status.className = 'status';
    setText(status, 'Updated ' + time(summary.at));
  }

  function failed(message) {
    var status = document.getElementById('status');
    status.className = 'status error';
    setText(status, message);
  }

  function poll() {
    fetch(SUMMARY, {headers: headers(), cache: 'no-store'}).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        document.getElementById('auth').hidden = false;
        failed(response.status === 401 ? 'A bearer token is needed' : 'This token may not read every subscription');
        return null;
      }
      if (!response.ok) {
        failed('The summary answered ' + response.status);
        return null;
      }
      document.getElementById('auth').hidden = true;
      return response.json();
    }).then(function (summary) {
      if (summary) {
        show(summary);
      }
    }, function (error) {
      failed('Gatehouse is unreachable (' + error.message + ')');
    }).then(function () {
      setTimeout(poll, POLL_MS);
    });
  }

  function initAuthForm() {
    document.getElementById('auth').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = document.getElementById('token');
      if (input.value.trim()) {
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        input.value = '';
      }
    });
  }

  takeTokenFromFragment();
  initCharts();
  initAuthForm();
  // For tests and curious operators: the charts, how many summaries were shown, and what the last one cost.
  window.gatehouseDashboard = {
    charts: charts,
    polls: function () { return state.polls; },
    renderMillis: function () { return state.renderMillis; }
  };
  poll();
})();
