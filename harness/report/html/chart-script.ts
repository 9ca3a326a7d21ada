/**
 * The page's own script, run in the reader's browser after uPlot's: it draws every chart described
 * in the page's `tally-charts` JSON. Fault windows are shaded under the lines; each violation is a
 * red line with a marker above it whose title lists the violations of that instant and whose click opens
 * their rows in the violations table. Text reaches the page only through `title` and `textContent`, never as markup.
 * Plain ES2017, no imports: the page must work opened from disk.
 */
export const CHART_SCRIPT = `
(() => {
  const charts = JSON.parse(document.getElementById('tally-charts').textContent);
  for (const spec of charts) draw(spec);

  function draw(spec) {
    const element = document.getElementById(spec.id);
    const scales = { x: { time: false, range: [0, spec.xMax] }, y: { range: [0, spec.yMax] } };
    const axes = [{ label: 'scenario time (s)' }, { label: spec.yLabel }];
    if (spec.heapMax !== null) {
      scales.heap = { range: [0, spec.heapMax] };
      axes.push({ scale: 'heap', side: 1, label: 'heap MB', grid: { show: false } });
    }
    const series = [{ label: 'time (s)' }].concat(
      spec.series.map((s) => {
        const one = { label: s.label, stroke: s.stroke, width: 1.5, scale: s.scale, spanGaps: s.style === 'line', points: { show: false } };
        if (s.style === 'step') one.paths = uPlot.paths.stepped({ align: 1 });
        // Latencies are dots: no line joins one job to the next (jobs that end at one instant share a dot).
        if (s.style === 'points') Object.assign(one, { paths: () => null, points: { show: true, size: 5, fill: s.stroke } });
        return one;
      }),
    );
    const options = {
      width: Math.max(480, element.clientWidth),
      height: 280,
      scales,
      axes,
      series,
      hooks: { drawClear: [(u) => shadeFaults(u, spec)], draw: [(u) => markViolations(u, spec)] },
    };
    const plot = new uPlot(options, [spec.x].concat(spec.series.map((s) => s.values)), element);
    addMarkers(plot, spec);
    element.dataset.drawn = 'true';
  }

  function shadeFaults(u, spec) {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.fillStyle = 'rgba(255, 160, 0, 0.18)';
    for (const fault of spec.faults) {
      const from = u.valToPos(fault.from, 'x', true);
      const to = u.valToPos(fault.to, 'x', true);
      // An instantaneous fault (a crash) is a thin band, still visible.
      ctx.fillRect(from, bbox.top, Math.max(to - from, 2 * devicePixelRatio), bbox.height);
    }
    ctx.restore();
  }

  function markViolations(u, spec) {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = 'rgba(214, 39, 40, 0.55)';
    ctx.lineWidth = devicePixelRatio;
    for (const v of spec.violations) {
      const x = Math.round(u.valToPos(v.x, 'x', true)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
    }
    ctx.restore();
    for (const marker of u.over.querySelectorAll('.violation-marker')) marker.style.left = u.valToPos(Number(marker.dataset.x), 'x') + 'px';
  }

  function addMarkers(u, spec) {
    for (const v of spec.violations) {
      const marker = document.createElement('button');
      marker.type = 'button';
      marker.className = 'violation-marker';
      marker.title = v.title;
      marker.dataset.x = String(v.x);
      marker.dataset.rows = v.rows.join(' ');
      marker.setAttribute('aria-label', v.title);
      marker.style.left = u.valToPos(v.x, 'x') + 'px';
      marker.addEventListener('click', () => openViolations(v.rows));
      u.over.appendChild(marker);
    }
  }

  function openViolations(ids) {
    for (const selected of document.querySelectorAll('.selected')) selected.classList.remove('selected');
    const rows = ids.map((id) => document.getElementById(id)).filter((row) => row);
    for (const row of rows) {
      row.classList.add('selected');
      const details = row.querySelector('details');
      if (details) details.open = true;
    }
    if (rows.length > 0) rows[0].scrollIntoView({ block: 'center' });
  }
})();
`;
