// Time-series charts with the vendored uPlot (canvas; no network, no inline styles).
import uPlot from './vendor/uplot.esm.js';

const COLORS = ['#2f5d8a', '#b3261e', '#1e7b34', '#8a5a00'];

/**
 * A line chart in `el` of series [{label, values}] over times `t` (unix seconds). Returns a function that
 * disposes of it.
 */
export function lineChart(el, t, series, {height = 220, bars = false} = {}) {
  const width = Math.max(280, el.clientWidth || 600);
  const opts = {
    width, height,
    scales: {x: {time: true}},
    series: [{}, ...series.map((s, i) => ({label: s.label, stroke: COLORS[i % COLORS.length], width: 2,
      fill: i === 0 ? 'rgba(47,93,138,.08)' : undefined, paths: bars ? uPlot.paths.bars({size: [0.6, 40]}) : undefined,
      value: (u, v) => v === null ? '–' : s.format ? s.format(v) : v}))],
    axes: [{}, {size: 60}],
  };
  const plot = new uPlot(opts, [t, ...series.map(s => s.values)], el);
  const resize = () => plot.setSize({width: Math.max(280, el.clientWidth || width), height});
  window.addEventListener('resize', resize);
  return () => { window.removeEventListener('resize', resize); plot.destroy(); };
}
