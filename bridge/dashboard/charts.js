// A thin wrapper over Chart.js (Debian's libjs-chart.js 3.9, the global Chart of
// /ui/vendor/chart.min.js). Time runs on a linear axis of epoch milliseconds: the package has
// no date adapter, and this keeps the page free of one.
import {el, formatTime} from './dom.js';

const COLORS = ['#1f5fa8', '#b3541e', '#2d7d46', '#7b3fa0', '#8a6d00'];

function timeTick(value) {
  const d = new Date(value);
  return d.toISOString().slice(5, 16).replace('T', ' ');
}

// series: [{label, points: [{x: ms, y}], stepped?, dashed?}]; returns {figure, render}:
// render() draws the chart once the figure is in the page (so Chart.js measures the real box
// and draws at once; animation is off) and returns it. The figure holds a text summary for
// screen readers (a chart is a picture).
export function lineChart(title, series, opts) {
  const options = opts || {};
  const canvas = el('canvas', {role: 'img'});
  const summary = series.map((s) => {
    const ys = s.points.map((p) => p.y);
    if (!ys.length) return `${s.label}: no data`;
    return `${s.label}: ${ys.length} points from ${formatTime(s.points[0].x)} to ${formatTime(s.points[ys.length - 1].x)}, ` +
      `lowest ${Math.min(...ys)}, highest ${Math.max(...ys)}`;
  }).join('; ');
  canvas.setAttribute('aria-label', `${title}. ${summary}`);
  const figure = el('figure', {class: 'chart'},
    el('figcaption', {}, title),
    el('div', {class: 'chart-box'}, canvas),
    el('p', {class: 'visually-hidden'}, summary));
  if (typeof window.Chart !== 'function') {
    figure.appendChild(el('p', {class: 'error'}, 'Charts are unavailable: the bridge does not serve Chart.js (see [api] chartjs_path).'));
    return {figure, render: () => null};
  }
  const datasets = series.map((s, i) => ({
    label: s.label,
    data: s.points,
    borderColor: s.color || COLORS[i % COLORS.length],
    backgroundColor: s.color || COLORS[i % COLORS.length],
    borderWidth: s.width || 1.5,
    borderDash: s.dashed ? [4, 3] : undefined,
    pointRadius: s.points.length > 60 ? 0 : 2,
    stepped: s.stepped ? 'before' : false,
    fill: false,
    spanGaps: false,
  }));
  const render = () => new window.Chart(canvas, {
    type: 'line',
    data: {datasets},
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: {mode: 'nearest', axis: 'x', intersect: false},
      plugins: {
        legend: {display: series.length > 1},
        tooltip: {callbacks: {title: (items) => (items.length ? formatTime(items[0].parsed.x) : '')}},
      },
      scales: {
        x: {type: 'linear', min: options.from, max: options.to, ticks: {callback: timeTick, maxRotation: 0, autoSkipPadding: 12}},
        y: options.y || {},
      },
    },
  });
  return {figure, render};
}
