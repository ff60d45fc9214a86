/* dmarcq report: draws the charts from the numbers embedded in the page (#dmarcq-data). The text
   and the tables are in the page already; nothing here fetches anything. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('dmarcq-data').textContent);
  // Okabe and Ito's palette: told apart with every common kind of colour blindness
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];
  var SPOOFING = '#3a3a3a';
  var OTHER = '#b8b8b8';
  var DAY = 86400;
  var plots = [];

  function seconds(day) { return Date.parse(day + 'T00:00:00Z') / 1000; }
  function dayOf(s) { return new Date(s * 1000).toISOString().slice(0, 10); }
  function count(n) { return n == null ? '–' : Math.round(n).toLocaleString('en'); }
  function percent(n) { return n == null ? '–' : n.toFixed(2) + '%'; }
  function width(el) { return Math.max(260, Math.floor(el.getBoundingClientRect().width)); }

  /** Every UTC day from the first to the last of the domain's days: days without mail are zero, not missing. */
  function allDays(days) {
    var out = [];
    if (days.length === 0) { return out; }
    for (var s = seconds(days[0]), end = seconds(days[days.length - 1]); s <= end; s += DAY) { out.push(s); }
    // a single day gets its neighbours, empty: an axis needs a span to lay days out on
    return out.length === 1 ? [out[0] - DAY, out[0], out[0] + DAY] : out;
  }

  // one tick per day, or per 2, 3, 7 or 14 days when the chart is too narrow: never between two days
  function daySplits(u, axisIdx, min, max) {
    var first = Math.ceil(min / DAY) * DAY;
    var room = Math.max(1, Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / 56));
    var count = Math.floor((max - first) / DAY) + 1;
    var step = [1, 2, 3, 7, 14, 28].find(function (k) { return count / k <= room; }) || 28;
    var out = [];
    for (var s = first; s <= max; s += step * DAY) { out.push(s); }
    return out;
  }

  function xAxis() {
    return { space: 56, splits: daySplits,
      values: function (u, splits) { return splits.map(function (s) { return dayOf(s).slice(5); }); } };
  }

  function dayRange(u, min, max) { return [min - DAY / 2, max + DAY / 2]; }

  function xSeries() { return { label: 'Day (UTC)', value: function (u, v) { return v == null ? '–' : dayOf(v); } }; }

  function bars() { return uPlot.paths.bars({ size: [0.8, 48], align: 0 }); }

  function passChart(el, domain) {
    var rates = domain.daily_pass_rate;
    var days = Object.keys(rates);
    var x = allDays(days);
    var y = x.map(function (s) { var r = rates[dayOf(s)]; return r == null ? null : 100 * r; });
    var bar = x.map(function () { return 100 * domain.min_pass_rate; });
    var low = Math.min.apply(null, y.filter(function (v) { return v != null; }).concat([100 * domain.min_pass_rate]));
    return {
      height: 240,
      opts: {
        scales: { x: { time: false, range: dayRange }, y: { range: [Math.max(0, Math.floor(low / 5) * 5 - 5), 100] } },
        axes: [xAxis(), { values: function (u, splits) { return splits.map(function (v) { return v + '%'; }); }, size: 56 }],
        series: [xSeries(),
          { label: 'Pass rate', stroke: PALETTE[0], width: 2, value: function (u, v) { return percent(v); },
            points: { show: true, size: 5 }, spanGaps: false },
          { label: 'Ready needs', stroke: PALETTE[5], width: 1.5, dash: [6, 4], value: function (u, v) { return percent(v); },
            points: { show: false } }]
      },
      data: [x, y, bar]
    };
  }

  function volumeChart(el, domain) {
    // likely spoofing is left out of the chart (it is in the caption and the table): forgers' millions would
    // leave the real senders a thin strip at the bottom
    var series = domain.volume.filter(function (s) { return s.group !== 'spoofing'; });
    var days = domain.days;
    var x = allDays(days);
    // stacked: series i is drawn from the sum of those before it to that plus its own; drawn top first
    var raw = series.map(function (s) { return x.map(function (d) { return s.per_day[dayOf(d)] || 0; }); });
    var stacked = [];
    var sums = x.map(function () { return 0; });
    raw.forEach(function (values) {
      sums = sums.map(function (sum, i) { return sum + values[i]; });
      stacked.push(sums.slice());
    });
    var colour = 0;
    var defs = series.map(function (s, i) {
      var c = s.group === 'spoofing' ? SPOOFING : s.group === 'other' ? OTHER : PALETTE[colour++ % PALETTE.length];
      return { label: s.label, fill: c, stroke: c, width: 0, paths: bars(), points: { show: false },
        value: function (u, v, si, di) { return di == null ? '–' : count(raw[i][di]); } };
    });
    var order = defs.map(function (d, i) { return i; }).reverse();
    return {
      height: 300,
      opts: {
        scales: { x: { time: false, range: dayRange },
                  y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.05]; } } },
        axes: [xAxis(), { size: 64, values: function (u, splits) { return splits.map(count); } }],
        series: [xSeries()].concat(order.map(function (i) { return defs[i]; }))
      },
      data: [x].concat(order.map(function (i) { return stacked[i]; }))
    };
  }

  function trendChart(el, domain, system) {
    var x = allDays(domain.days && domain.days.length ? domain.days : Object.keys(system.per_day));
    var y = x.map(function (d) { return system.per_day[dayOf(d)] || 0; });
    return {
      height: 160,
      opts: {
        scales: { x: { time: false, range: dayRange },
                  y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } } },
        axes: [xAxis(), { size: 56, values: function (u, splits) { return splits.map(count); } }],
        series: [xSeries(), { label: 'Messages ' + 'p=' + data.policy + ' would affect', fill: PALETTE[5], stroke: PALETTE[5],
          width: 0, paths: bars(), points: { show: false }, value: function (u, v) { return count(v); } }]
      },
      data: [x, y]
    };
  }

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var domain = data.domains[Number(el.getAttribute('data-domain'))];
    var kind = el.getAttribute('data-chart');
    var chart = kind === 'pass' ? passChart(el, domain)
      : kind === 'volume' ? volumeChart(el, domain)
      : trendChart(el, domain, domain.systems[Number(el.getAttribute('data-system'))]);
    chart.opts.width = width(el);
    chart.opts.height = chart.height;
    chart.opts.legend = { live: true };
    chart.opts.cursor = { points: { show: false } };
    var plot = new uPlot(chart.opts, chart.data, el);
    plots.push({ el: el, plot: plot, height: chart.height });
    el.setAttribute('data-drawn', 'true');
  });

  var printing = false;
  function resize(fixed) {
    plots.forEach(function (p) { p.plot.setSize({ width: fixed || width(p.el), height: p.height }); });
  }
  // each chart follows the width of its box: the window's, and also a scroll bar's coming or going
  var observer = new ResizeObserver(function (entries) {
    if (printing) { return; }
    entries.forEach(function (entry) {
      plots.forEach(function (p) {
        if (p.el === entry.target && width(p.el) !== p.plot.width) { p.plot.setSize({ width: width(p.el), height: p.height }); }
      });
    });
  });
  plots.forEach(function (p) { observer.observe(p.el); });
  // a printed page is about 680 CSS pixels wide, whatever the window was
  // on paper every table and every fix is shown: nothing can be clicked open there
  var closed = [];
  window.addEventListener('beforeprint', function () {
    printing = true;
    closed = Array.from(document.querySelectorAll('details:not([open])'));
    closed.forEach(function (d) { d.open = true; });
    resize(680);
  });
  window.addEventListener('afterprint', function () {
    printing = false;
    closed.forEach(function (d) { d.open = false; });
    resize();
  });
})();
