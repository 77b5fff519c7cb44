// CepGeo viewer. Everything comes from this server's read-only /api; no other host is ever contacted
// unless the user passed --tiles. The page publishes its state on <body data-*> for people who script
// it (and for the browser tests), so nobody has to read Leaflet's SVG.
(function () {
  'use strict';

  var T = {
    fr: {
      search: 'Chercher un territoire, une zone, une commune…', layers: 'Couches', colour: 'Couleur des territoires', metric: 'Indicateur',
      operator: 'Opérateur', weight: 'Pondération', export: 'Exporter', png: 'Carte (PNG)', view_csv: 'Tableau de la vue (CSV)',
      m_misfit: 'Désalignement', m_coverage: 'Couverture', m_partners: 'Interlocuteurs', m_dominant_share: 'Part de la zone principale',
      worst_misfit: 'Territoires les moins alignés', worst_coverage: 'Territoires les moins couverts',
      worst_partners: 'Territoires aux interlocuteurs les plus nombreux', worst_dominant_share: 'Territoires les plus partagés',
      worst_none: 'Aucun territoire concerné : tous sont au mieux pour cet indicateur.',
      w_area: 'Surface', w_pop: 'Population', cells: 'Territoires', gap: 'Zones blanches',
      double_coverage: 'Doubles couvertures', straddle: 'Zones à cheval', communes: 'Communes (contours en zoomant)', zone: 'Zone', share_area: 'part surface',
      share_pop: 'part pop.', gap_row: 'Zone blanche', double_row: 'Double couverture', misfit_row: 'Désalignement', area: 'Surface',
      population: 'Population', partners_of: 'interlocuteurs', partner_of: 'interlocuteur', cells_touched: 'Territoires touchés', share_of_zone: 'part de la zone',
      zoom: 'zoomer', no_data: 'sans données', loading: 'Chargement…', ready: 'Prêt', error: 'Erreur', no_zones:
      'Les zones des opérateurs ne sont pas dans un dossier de résultats : ouvrez l’étude pour les voir.',
      pop_na: 'sans population : surface utilisée', km2: 'km²', cell: 'Territoire', outside: 'hors zone',
      design: 'Proposition', design_title: 'Périmètres proposés', perimeters: 'périmètres', cells_before: 'territoires aujourd’hui',
      misfit_before_after: 'Désalignement (km²) aujourd’hui → proposé', before: 'aujourd’hui', after: 'proposé',
      from_cell: 'issu du territoire', fitted: 'ajusté', home: 'Toute la région', labels_cells: 'Noms des territoires',
      labels_zones: 'Noms des zones de l’opérateur', k_cell: 'Territoire', k_zone: 'Zone', k_commune: 'Commune',
      no_match: 'Aucun résultat pour', menu: 'Couches et indicateurs', sources: 'Sources', weighting: 'Pondération', date: 'date',
      m_dist_mean_km: 'Distance moyenne au lieu d’accueil le plus proche', m_pop_beyond_share: 'Part des habitants à plus de N km',
      worst_dist_mean_km: 'Territoires les plus loin des lieux d’accueil', worst_pop_beyond_share: 'Territoires où le plus d’habitants vivent loin d’un lieu d’accueil',
      site: 'Lieu d’accueil', sites_of: 'Lieux d’accueil', straight_line: 'à vol d’oiseau', no_sites: 'cet opérateur n’a pas de lieux d’accueil'
    },
    en: {
      search: 'Find an area, a zone, a commune…', layers: 'Layers', colour: 'Area colour', metric: 'Metric', operator: 'Operator',
      weight: 'Weighting', export: 'Export', png: 'Map (PNG)', view_csv: 'Table of the view (CSV)', m_misfit: 'Misfit',
      m_coverage: 'Coverage', m_partners: 'Counterparts', m_dominant_share: 'Main zone share',
      worst_misfit: 'Least aligned areas', worst_coverage: 'Least covered areas', worst_partners: 'Areas with the most counterparts',
      worst_dominant_share: 'Most divided areas', worst_none: 'No area concerned: all are at their best for this metric.',
      w_area: 'Area', w_pop: 'Population', cells: 'Coordination areas', gap: 'Gaps', double_coverage: 'Double coverage',
      straddle: 'Straddling zones', communes: 'Communes (outlines when zoomed in)', zone: 'Zone', share_area: 'area share', share_pop: 'pop. share',
      gap_row: 'Gap', double_row: 'Double coverage', misfit_row: 'Misfit', area: 'Area', population: 'Population',
      partners_of: 'counterparts', partner_of: 'counterpart', cells_touched: 'Areas touched', share_of_zone: 'share of zone', zoom: 'zoom',
      no_data: 'no data', loading: 'Loading…', ready: 'Ready', error: 'Error',
      no_zones: 'Operator zones are not in a results folder: open the study to see them.',
      pop_na: 'no population: area used', km2: 'km²', cell: 'Area', outside: 'outside',
      design: 'Proposal', design_title: 'Proposed perimeters', perimeters: 'perimeters', cells_before: 'areas today',
      misfit_before_after: 'Misfit (km²) today → proposed', before: 'today', after: 'proposed',
      from_cell: 'from area', fitted: 'fitted', home: 'Whole region', labels_cells: 'Area names', labels_zones: 'Operator zone names',
      k_cell: 'Area', k_zone: 'Zone', k_commune: 'Commune', no_match: 'Nothing matches', menu: 'Layers and metrics',
      sources: 'Sources', weighting: 'Weighting', date: 'date',
      m_dist_mean_km: 'Mean distance to the nearest site', m_pop_beyond_share: 'Share of people beyond N km',
      worst_dist_mean_km: 'Areas farthest from the sites', worst_pop_beyond_share: 'Areas where most people live far from a site',
      site: 'Site', sites_of: 'Sites', straight_line: 'straight line', no_sites: 'this operator has no sites'
    }
  };

  // Classes, colours and words are not defined here: they come from /api/style, the one definition the
  // static maps and the report use too (PlannerStyle in CepGeo.Core), and are filled in by useStyle().
  var STYLE = { classColours: [], noData: '', operatorColours: [], operatorDashes: [], design: '', defects: {} };
  var METRICS = {
    // pop: the column of the population-weighted variant; best: the value at which a cell has nothing
    // to show in the worst-first list. bad ('high'|'low') and bounds ([min, …breaks, max]) come from the style.
    misfit: { pop: 'pop_misfit', best: 0 },
    coverage: { pop: 'pop_coverage', best: 1 },
    partners: { pop: null, best: 1, count: true },
    dominant_share: { pop: null, best: 1 },
    // Spec §9: already counted in people (no area variant); coloured by the style's distance classes.
    dist_mean_km: { pop: null, best: 0, km: true, byPeople: true, scale: 'distance_km' },
    pop_beyond_share: { pop: null, best: 0, byPeople: true }
  };
  // The viewer's words that are the glossary's: key here → key of the style's words.
  var STYLE_WORDS = {
    gap: 'gap', double_coverage: 'double_coverage', straddle: 'straddle', outside: 'outside', gap_row: 'gap',
    double_row: 'double_coverage', misfit_row: 'misfit', m_misfit: 'misfit', m_coverage: 'coverage', m_partners: 'partners',
    m_dominant_share: 'dominant_share', no_data: 'no_data', cells: 'cells', cell: 'cell', zone: 'zone',
    m_dist_mean_km: 'dist_mean_km', m_pop_beyond_share: 'pop_beyond_share', site: 'site', sites_of: 'sites'
  };
  function useStyle(style) {
    STYLE = {
      classColours: style.palette, noData: style.no_data, operatorColours: style.operator_colors,
      operatorDashes: style.operator_dashes, design: style.proposal_color, defects: style.defects
    };
    Object.keys(METRICS).forEach(function (m) {
      var sc = style.scales[METRICS[m].scale || m];
      METRICS[m].bad = sc.high_is_bad ? 'high' : 'low';
      METRICS[m].bounds = [sc.min].concat(sc.breaks, [sc.max === null || sc.max === undefined ? Infinity : sc.max]);
    });
    Object.keys(STYLE_WORDS).forEach(function (k) {
      var w = style.words[STYLE_WORDS[k]];
      if (w) { T.fr[k] = w.fr; T.en[k] = w.en; }
    });
  }
  var MIN_LABEL_PX = 7;       // about the width of a label character at 12 px
  // The cells' outline: one pixel, which the canvas draws as a hairline, a quarter of a national zoom
  // step's CPU less than the 1.5 px outline it was (the zones' lines stay 2 px, over it).
  var CELL_LINE = 1;

  var body = document.body;
  var started = performance.now();
  var lang = 'fr';
  var study = null, cellRows = [], pairRows = [], zoneRows = [];
  var index = {};             // layer key → { id → { name, bbox: [w, s, e, n], label: [lon, lat] } }
  var communeIndex = null;    // [{ id, name, bbox, label }] once fetched
  var layers = {};            // key → { info, leaflet, visible, loading }
  var byId = {};              // 'cells:ID' or 'zones-op:ID' → Leaflet feature layer
  var selected = null;        // { type: 'cell'|'zone'|'commune', … }
  var selectedLayer = null;   // the selected cell's Leaflet layer, outlined until another is chosen
  var map, hatch, labelLayer, homeBounds, homeZoom, communeRenderer, shapeRenderer, siteRenderer;
  var labelsOn = { cells: true, zones: false };
  var moving = false;        // within the map's moveend: the canvas redraws itself after
  var hooks = { stateChanged: [] };

  function t(k) {
    var w = (T[lang] && T[lang][k]) || k;
    // The glossary writes the tolerance as N: the study's beyondKm.
    return study && study.beyond_km !== undefined ? w.replace(/\bN km\b/, fmt(study.beyond_km, 1) + ' km') : w;
  }
  function fmt(x, digits) {
    if (x === null || x === undefined) return '—';
    return Number(x).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function pct(x) {
    if (x === null || x === undefined) return '—';
    // Near 0 and 100 % one decimal hides what matters (99,96 % is not 100 %).
    var digits = x > 0.99 && x < 1 || x > 0 && x < 0.01 ? 2 : 1;
    return fmt(100 * x, digits) + ' %';
  }
  function esc(s) { return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  // The Content-Security-Policy forbids style attributes in markup; styles computed here (palette
  // colours) are written as data-style and applied through the CSSOM, which the policy allows.
  function applyStyles(root) {
    root.querySelectorAll('[data-style]').forEach(function (el) { el.style.cssText = el.dataset.style; el.removeAttribute('data-style'); });
  }
  function setStatus(s) { body.dataset.status = s; document.getElementById('status').textContent = t(s); }
  function getJson(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); }); }

  function layerLabel(info) {
    if (info.kind === 'cells') return info.label || t('cells');
    if (info.kind === 'defects') return t(info.operator);
    if (info.kind === 'communes') return t('communes');
    if (info.kind === 'design') return t('design') + ' : ' + info.operator;
    if (info.kind === 'sites') return t('sites_of') + ' : ' + info.label;
    return info.label;
  }
  function siteLayerOf(op) { return layers['sites-' + op] ? 'sites-' + op : null; }
  function operatorIndex(op) { return Math.max(0, study.operators.findIndex(function (o) { return o.key === op; })); }
  function operatorColour(op) { return STYLE.operatorColours[operatorIndex(op) % STYLE.operatorColours.length]; }
  function operatorDash(op, weight) {
    var d = STYLE.operatorDashes[operatorIndex(op) % STYLE.operatorDashes.length] || [];
    return d.length ? d.map(function (x) { return x * weight; }).join(' ') : null;
  }
  function operatorLabel(op) {
    var o = study.operators.find(function (x) { return x.key === op; });
    return o ? o.label : op;
  }

  // ---- colour of a cell --------------------------------------------------------------------------
  function metricColumn() {
    var m = METRICS[body.dataset.metric];
    return body.dataset.weight === 'pop' && m.pop && study.weights ? m.pop : body.dataset.metric;
  }
  function cellMetric(cellId, op) {
    return cellRows.find(function (r) { return r.cell_layer === 'cells' && r.cell_id === cellId && r.operator === op; });
  }
  // The class of a value, as the static maps class it: the first bound above the value closes its class.
  function classIndex(v, bounds) {
    for (var i = 1; i < bounds.length - 1; i++) if (v < bounds[i]) return i - 1;
    return bounds.length - 2;
  }
  // The colour rank of a value (0 = best, 4 = worst), -1 without a value.
  function classOf(v, metric) {
    var m = METRICS[metric || body.dataset.metric];
    if (v === null || v === undefined) return -1;
    var c = classIndex(v, m.bounds), n = m.bounds.length - 1;
    return m.bad === 'high' ? c : n - 1 - c;
  }
  function fillOf(cellId) {
    var row = cellMetric(cellId, body.dataset.operator);
    var c = classOf(row ? row[metricColumn()] : null);
    return c < 0 ? STYLE.noData : STYLE.classColours[c];
  }
  function badness(row) {
    var v = row[metricColumn()];
    if (v === null || v === undefined) return -Infinity;
    return METRICS[body.dataset.metric].bad === 'high' ? v : -v;
  }
  function valueText(v) {
    var m = METRICS[body.dataset.metric];
    return m.count ? fmt(v, 0) : m.km ? (v === null || v === undefined ? '—' : fmt(v, 1) + ' km') : pct(v);
  }

  // Whether the colours count people: the population variant chosen, or a distance (counted in people by definition).
  function byPopulation() {
    var m = METRICS[body.dataset.metric];
    return !!m.byPeople || body.dataset.weight === 'pop' && !!m.pop && study.weights;
  }
  function recolour() {
    var fills = {};
    // Distances count people already: no area/population choice to make, and the selector says
    // « Population »; the choice made for the other metrics comes back with them.
    var weight = document.getElementById('weight'), byPeople = !!METRICS[body.dataset.metric].byPeople;
    weight.disabled = byPeople;
    weight.value = byPeople ? 'pop' : body.dataset.weight;
    var cells = layers.cells;
    if (cells && cells.leaflet) cells.leaflet.eachLayer(function (l) {
      var id = l.feature.properties.id;
      fills[id] = fillOf(id);
      l.setStyle({ fillColor: fills[id] });
    });
    body.dataset.cellFills = JSON.stringify(fills);
    drawLegend();
    drawWorst();
    stateChanged();
  }

  // Legend rows, best class first: [{ colour, text }].
  function legendRows() {
    var metric = body.dataset.metric, m = METRICS[metric], b = m.bounds, n = b.length - 1;
    var f = function (x) { return m.count ? fmt(x, 0) : m.km ? fmt(x, 0) + ' km' : pct(x); };
    var rows = [];
    for (var c = 0; c < n; c++) {
      var text;
      if (m.count) text = c === 0 ? '0 – 1' : c === n - 1 ? f(b[c]) + ' +' : f(b[c]);
      else if (c === 0) text = '< ' + f(b[1]);
      else if (c === n - 1) text = '≥ ' + f(b[c]);
      else text = f(b[c]) + ' – ' + f(b[c + 1]);
      rows.push({ colour: STYLE.classColours[m.bad === 'high' ? c : n - 1 - c], text: text });
    }
    if (m.bad === 'low') rows.reverse();
    rows.push({ colour: STYLE.noData, text: t('no_data') });
    return rows;
  }

  function drawLegend() {
    var m = METRICS[body.dataset.metric], el = document.getElementById('legend');
    var note = m.byPeople ? (siteLayerOf(body.dataset.operator) ? '' : '<div><em>' + esc(t('no_sites')) + '</em></div>')
      : body.dataset.weight === 'pop' && (!m.pop || !study.weights) ? '<div><em>' + t('pop_na') + '</em></div>' : '';
    el.innerHTML = legendRows().map(function (r) {
      return '<div><span class="swatch" data-style="background:' + r.colour + '"></span>' + esc(r.text) + '</div>';
    }).join('') + note;
    applyStyles(el);
    body.dataset.legend = Array.prototype.map.call(el.querySelectorAll('div'), function (d) { return d.textContent; }).join(' | ');
  }

  // Worst first, for every metric: only the cells that have something to show (a coverage list of
  // cells at 100 % says nothing), the worst value first, ties by misfit.
  function worstRows() {
    var metric = body.dataset.metric, m = METRICS[metric], col = metricColumn();
    return cellRows.filter(function (r) {
      var v = r[col];
      return r.cell_layer === 'cells' && r.operator === body.dataset.operator && v !== null && v !== undefined &&
        (m.bad === 'high' ? v > m.best : v < m.best);
    }).sort(function (a, b) { return badness(b) - badness(a) || (b.misfit || 0) - (a.misfit || 0); });
  }
  function drawWorst() {
    var rows = worstRows().slice(0, 10);
    document.getElementById('worst-title').textContent = t('worst_' + body.dataset.metric);
    document.getElementById('worst').innerHTML = rows.length ? rows.map(function (r) {
      return '<li data-cell-id="' + esc(r.cell_id) + '">' + esc(cellName(r.cell_id)) + ' — ' + valueText(r[metricColumn()]) + '</li>';
    }).join('') : '<li class="none">' + esc(t('worst_none')) + '</li>';
  }

  // ---- layers ------------------------------------------------------------------------------------
  function styleFor(info) {
    if (info.kind === 'cells') return function () { return { color: '#333', weight: CELL_LINE, fillOpacity: 0.75, fillColor: STYLE.noData }; };
    // Proposed perimeters: a thick solid line of their own colour, over the cells and the zones, so
    // that today's cells (thin, dark) and the proposal read side by side.
    if (info.kind === 'design') return function () { return { color: STYLE.design, weight: 4, opacity: 0.85, fill: false }; };
    if (info.kind === 'communes') return function () { return { color: '#6d6d6d', weight: 0.6, opacity: 0.7, fill: false, interactive: false }; };
    // A site: a dot in its operator's colour, white-ringed as on the static maps.
    if (info.kind === 'sites') {
      var sc = operatorColour(info.operator);
      // Dark-ringed, not white: an orange dot on the distance metric's orange fills needs the contrast.
      return function () { return { radius: 5, color: '#1a1a1a', weight: 1.2, fillColor: sc, fillOpacity: 1 }; };
    }
    if (info.kind === 'zones') {
      var c = operatorColour(info.operator), dash = operatorDash(info.operator, 1);
      return function () { return { color: c, weight: 2, dashArray: dash, fill: false }; };
    }
    var d = STYLE.defects[info.operator] || { color: '#555' };
    if (info.operator === 'gap') return function () { return { color: d.color, weight: 1, fillColor: 'url(#hatch-gap)', fillOpacity: 1 }; };
    if (info.operator === 'double_coverage') return function () { return { color: d.color, weight: 1, fillColor: d.color, fillOpacity: 0.45 }; };
    // Straddles are many (151 in PACA) and cover much of the map: an outline only, so that the
    // choropleth stays readable under them.
    return function () { return { color: d.color, weight: 1.5, dashArray: '2 3', fill: false }; };
  }

  function hoverText(info, p) {
    if (info.kind === 'defects') return t(p.kind) + ' — ' + operatorLabel(p.operator) + ' — ' + (p.cell_name || '') + ' (' + fmt(p.area_km2, 3) + ' ' + t('km2') + ')';
    if (info.kind === 'zones') return '<b>' + esc(p.name) + '</b><br>' + esc(operatorLabel(info.operator));
    if (info.kind === 'sites') return '<b>' + esc(p.name) + '</b><br>' + esc(t('site')) + ' — ' + esc(operatorLabel(info.operator));
    // A cell: its name and the value its colour shows.
    var row = cellMetric(p.id, body.dataset.operator), v = row ? row[metricColumn()] : null;
    return '<b>' + esc(p.name) + '</b><br>' + esc(t('m_' + body.dataset.metric)) + (body.dataset.weight === 'pop' && METRICS[body.dataset.metric].pop ? ' (' + t('w_pop').toLowerCase() + ')' : '') +
      ' : <b>' + esc(valueText(v)) + '</b><br><small>' + esc(operatorLabel(body.dataset.operator)) + '</small>';
  }

  function buildLayer(info, geojson) {
    var baseStyle = styleFor(info);
    return L.geoJSON(geojson, {
      style: baseStyle,
      pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, L.extend({ pane: 'sites', renderer: siteRenderer }, baseStyle())); },
      pane: info.kind === 'cells' || info.kind === 'zones' ? 'cells' : info.kind === 'design' ? 'design' : info.kind === 'communes' ? 'communes' : info.kind === 'sites' ? 'sites' : 'defects',
      // Cells and zones share one canvas (hundreds of thousands of vertices nationally: a canvas redraws
      // a zoom step without rebuilding as many SVG paths); defects share the SVG renderer that holds the
      // gap hatching pattern; communes (thousands of thin outlines, never clicked) have their own canvas.
      renderer: info.kind === 'defects' ? hatch : info.kind === 'communes' ? communeRenderer : info.kind === 'cells' || info.kind === 'zones' ? shapeRenderer : undefined,
      interactive: info.kind !== 'communes',
      onEachFeature: function (feature, l) {
        var p = feature.properties;
        if ((info.kind === 'cells' || info.kind === 'zones' || info.kind === 'communes') && l instanceof L.Polygon) L.extend(l, FastPath);
        if (info.kind === 'communes') return;
        if (info.kind === 'design') {
          byId[info.key + ':' + p.id] = l;
          l.bindTooltip(function () { return esc(designTip(p)); }, { sticky: true });
          l.on('mouseover', function () { l.setStyle({ weight: 6 }); body.dataset.hover = p.name; });
          l.on('mouseout', function () { l.setStyle({ weight: 4 }); delete body.dataset.hover; });
          return;
        }
        l.bindTooltip(function () { return info.kind === 'defects' ? esc(hoverText(info, p)) : hoverText(info, p); }, { sticky: true, className: 'hover-card' });
        byId[info.key + ':' + p.id] = l;
        l.on('mouseover', function () {
          l.setStyle({ weight: 4 }); if (info.kind !== 'cells') l.bringToFront();
          var tip = document.createElement('div'); tip.innerHTML = hoverText(info, p); body.dataset.hover = tip.textContent;
        });
        l.on('mouseout', function () { l.setStyle({ weight: l === selectedLayer ? 4 : baseStyle().weight }); delete body.dataset.hover; });
        if (info.kind === 'cells') l.on('click', function () { selectCell(p.id, false); });
        // A site's name on click too (a phone has no hover), published for scripts.
        if (info.kind === 'sites') l.on('click', function (ev) { L.DomEvent.stopPropagation(ev); body.dataset.selectedSite = info.operator + ':' + p.id; body.dataset.siteName = p.name; l.openTooltip(); });
        if (info.kind === 'zones') l.on('click', function () { selectZone(info.operator, p.id, false); });
      }
    });
  }

  // ---- shapes projected once: a zoom step redraws them through a canvas transform ----------------
  // Leaflet re-projects every vertex of every shape on each zoom step (hundreds of thousands nationally:
  // most of a step's time and garbage). The cells, zones and communes are projected once, at zoom 0,
  // into a Path2D of their own; a step then only moves each shape's bounds and redraws the paths
  // with a scale, whatever their number of vertices. Hit tests (hover, click) use the same coordinates.
  var LOCAL = 4096;           // path units per zoom-0 pixel: zoom-12 pixels, well inside a float's precision
  // A shape's unit: its rings in path units from its own corner, their Path2D and its zoom-0 box.
  // rings: arrays of points in zoom-0 pixels, [x0, y0, x1, y1, …]. seen: the edges of its layer's shapes
  // already made, shared by the layer's shapes (one band): unit.edges then holds only the edges no
  // shape before it has, so that a border between two neighbours is stroked once, not by both.
  function unitOf(rings, seen) {
    var box = [Infinity, Infinity, -Infinity, -Infinity], path = new Path2D(), edges = seen ? new Path2D() : null;
    rings.forEach(function (r) {
      for (var i = 0; i < r.length; i += 2) {
        if (r[i] < box[0]) box[0] = r[i]; if (r[i + 1] < box[1]) box[1] = r[i + 1];
        if (r[i] > box[2]) box[2] = r[i]; if (r[i + 1] > box[3]) box[3] = r[i + 1];
      }
    });
    rings.forEach(function (r) {
      // Edges are keyed in zoom-0 pixels, before the unit's own offset: neighbours project the same
      // lon/lat (the server simplifies each coverage keeping its shared edges) to the same numbers.
      if (edges) edgesOf(r, box, seen, edges);
      for (var i = 0; i < r.length; i += 2) {
        r[i] = (r[i] - box[0]) * LOCAL; r[i + 1] = (r[i + 1] - box[1]) * LOCAL;
        if (i) path.lineTo(r[i], r[i + 1]); else path.moveTo(r[i], r[i + 1]);
      }
      path.closePath();
    });
    return { rings: rings, box: box, path: path, edges: edges };
  }
  // The edges of a ring that no earlier shape of the layer has, as runs of lines (joined where they follow each other).
  function edgesOf(r, box, seen, out) {
    var n = r.length / 2, open = false;
    for (var i = 0; i < n; i++) {
      var j = (i + 1) % n, x1 = r[2 * i], y1 = r[2 * i + 1], x2 = r[2 * j], y2 = r[2 * j + 1];
      if (x1 === x2 && y1 === y2) continue;   // the closing point GeoJSON repeats
      var k = x1 < x2 || x1 === x2 && y1 < y2 ? x1 + ',' + y1 + ',' + x2 + ',' + y2 : x2 + ',' + y2 + ',' + x1 + ',' + y1;
      if (seen.has(k)) { open = false; continue; }
      seen.add(k);
      if (!open) out.moveTo((x1 - box[0]) * LOCAL, (y1 - box[1]) * LOCAL);
      out.lineTo((x2 - box[0]) * LOCAL, (y2 - box[1]) * LOCAL);
      open = true;
    }
  }
  // The unit of a GeoJSON (multi)polygon, [lon, lat] coordinates.
  function unitOfGeometry(g, seen) {
    var crs = map.options.crs, rings = [];
    (function walk(c) {
      if (!c || !c.length) return;
      if (typeof c[0][0] === 'number') {
        var r = new Float64Array(2 * c.length);
        for (var i = 0; i < c.length; i++) { var p = crs.latLngToPoint(L.latLng(c[i][1], c[i][0]), 0); r[2 * i] = p.x; r[2 * i + 1] = p.y; }
        rings.push(r);
      } else c.forEach(walk);
    })(g && g.coordinates);
    return unitOf(rings, seen);
  }
  var FastPath = {
    _projectOnce: function () {
      var crs = map.options.crs, rings = [];
      (function walk(ll) {
        if (!ll.length) return;
        if (ll[0] instanceof L.LatLng) {
          var r = new Float64Array(2 * ll.length);
          for (var i = 0; i < ll.length; i++) { var p = crs.latLngToPoint(ll[i], 0); r[2 * i] = p.x; r[2 * i + 1] = p.y; }
          rings.push(r);
        } else ll.forEach(walk);
      })(this._latlngs);
      this._unit = unitOf(rings, this._seen);
      // The band's edge keys (one string per edge) are needed only while its shapes are built: once every
      // shape has made its unit, nothing holds the Set.
      this._seen = null;
    },
    _project: function () {
      if (!this._unit) this._projectOnce();
      var u = this._unit, b = u.box, s = this._map.options.crs.scale(this._map.getZoom()) / this._map.options.crs.scale(0);
      var o = this._map.getPixelOrigin();
      this._pxScale = s / LOCAL;
      this._pxOffset = [b[0] * s - o.x, b[1] * s - o.y];
      if (!u.rings.length) { this._rawPxBounds = this._pxBounds = null; return; }
      this._rawPxBounds = new L.Bounds([b[0] * s - o.x, b[1] * s - o.y], [b[2] * s - o.x, b[3] * s - o.y]);
      this._updateBounds();
    },
    _update: function () { if (this._map) this._updatePath(); },
    // Leaflet's own test: inside the polygon, or within the click tolerance of its outline.
    _containsPoint: function (p) {
      if (!this._pxBounds || !this._pxBounds.contains(p)) return false;
      var f = this._pxScale, x = (p.x - this._pxOffset[0]) / f, y = (p.y - this._pxOffset[1]) / f;
      var w = this._clickTolerance() / f, w2 = w * w, inside = false, near = false;
      this._unit.rings.forEach(function (r) {
        var n = r.length;
        for (var j = 0, k = n - 2; j < n; k = j, j += 2) {
          var x1 = r[j], y1 = r[j + 1], x2 = r[k], y2 = r[k + 1];
          if ((y1 > y) !== (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1) inside = !inside;
          if (!near) {
            var dx = x2 - x1, dy = y2 - y1, l2 = dx * dx + dy * dy, t = l2 ? ((x - x1) * dx + (y - y1) * dy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            var ex = x1 + t * dx - x, ey = y1 + t * dy - y;
            near = ex * ex + ey * ey <= w2;
          }
        }
      });
      return inside || near;
    }
  };
  // What makes a shape's outline: a shape whose outline is its layer's own (not hovered, selected or
  // highlighted) is drawn with its layer's batch.
  function strokeKey(o) { return o.color + '|' + o.weight + '|' + o.opacity + '|' + o.dashArray + '|' + o.stroke; }
  var FastCanvas = L.Canvas.extend({
    // Leaflet's loop over the shapes in drawing order, except that consecutive shapes of one layer
    // (cells, one operator's zones, communes) are drawn as a batch: their fills, then the edges each
    // owns (unit.edges), so that a border is stroked once and over both neighbours' fills; a shape of
    // the batch drawn otherwise (hovered, selected) is drawn whole after it, over its outline. A shape
    // drawn apart from its layer's batch (brought to the front: a later run of the same layer) is drawn
    // whole too: its fill covers the inner half of the borders its neighbours own, its full ring restores them.
    _draw: function () {
      var bounds = this._redrawBounds, ctx = this._ctx, self = this, group = null, plain = [], other = [], done = new Set(), apart = false;
      ctx.save();
      if (bounds) {
        var size = bounds.getSize();
        ctx.beginPath(); ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y); ctx.clip();
      }
      this._drawing = true;
      function flush() {
        if (plain.length) self._drawBatch(plain);
        other.forEach(function (l) { l._updatePath(); });
        if (group) done.add(group);
        plain = []; other = []; group = null;
      }
      for (var order = this._drawFirst; order; order = order.next) {
        var layer = order.layer;
        if (bounds && !(layer._pxBounds && layer._pxBounds.intersects(bounds))) continue;
        if (!layer._group || !layer._unit || !layer._unit.edges) { flush(); layer._updatePath(); continue; }
        if (group !== layer._group) { flush(); group = layer._group; apart = done.has(group); }
        if (!layer._pxBounds || !layer._pxBounds.intersects(this._bounds)) continue;
        (!apart && strokeKey(layer.options) === layer._strokeKey ? plain : other).push(layer);
      }
      flush();
      this._drawing = false;
      ctx.restore();
    },
    // Puts a shape brought to the front back at the end of its layer's first run in the drawing order
    // (the order within a run does not change what a batch draws), under the layers above it again.
    _backToLayer: function (layer) {
      var order = layer._order, at = this._drawFirst;
      if (!order || !layer._group) return;
      while (at && (at === order || at.layer._group !== layer._group)) at = at.next;
      if (!at) return;
      while (at.next && at.next !== order && at.next.layer._group === layer._group) at = at.next;
      if (at.next === order) return;
      if (order.prev) order.prev.next = order.next; else this._drawFirst = order.next;
      if (order.next) order.next.prev = order.prev; else this._drawLast = order.prev;
      order.prev = at; order.next = at.next;
      if (at.next) at.next.prev = order; else this._drawLast = order;
      at.next = order;
      this._requestRedraw(layer);
    },
    // Shapes of one layer, in the same style but their fill colour: one transform each (they share
    // the zoom's scale), the canvas's state set once per colour and once for the strokes.
    _drawBatch: function (shapes) {
      var ctx = this._ctx, base = ctx.getTransform(), o = shapes[0].options, f = shapes[0]._pxScale;
      function place(l) { ctx.setTransform(base.a * f, 0, 0, base.d * f, base.e + base.a * l._pxOffset[0], base.f + base.d * l._pxOffset[1]); }
      if (o.fill) {
        var byColour = {};
        shapes.forEach(function (l) { var c = l.options.fillColor || l.options.color; (byColour[c] = byColour[c] || []).push(l); });
        Object.keys(byColour).forEach(function (c) {
          ctx.globalAlpha = o.fillOpacity; ctx.fillStyle = c;
          byColour[c].forEach(function (l) { place(l); ctx.fill(l._unit.path, o.fillRule || 'evenodd'); });
        });
      }
      if (o.stroke && o.weight !== 0) {
        ctx.setTransform(base);
        ctx.setLineDash((o._dashArray || []).map(function (d) { return d / f; }));
        ctx.globalAlpha = o.opacity; ctx.lineWidth = o.weight / f; ctx.strokeStyle = o.color;
        // Bevel joins: a round join at each of tens of thousands of vertices was a fifth of a step's time.
        ctx.lineCap = 'butt'; ctx.lineJoin = 'bevel';
        shapes.forEach(function (l) { place(l); ctx.stroke(l._unit.edges); });
      }
      ctx.setTransform(base);
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    },
    _updatePoly: function (layer, closed) {
      if (!layer._unit) { L.Canvas.prototype._updatePoly.call(this, layer, closed); return; }
      // A full redraw (a zoom step) draws every shape: the ones out of view cost as much to stroke.
      if (!this._drawing || !layer._pxBounds || !layer._pxBounds.intersects(this._bounds)) return;
      var ctx = this._ctx, o = layer.options, f = layer._pxScale;
      ctx.save();
      ctx.transform(f, 0, 0, f, layer._pxOffset[0], layer._pxOffset[1]);
      if (o.fill) { ctx.globalAlpha = o.fillOpacity; ctx.fillStyle = o.fillColor || o.color; ctx.fill(layer._unit.path, o.fillRule || 'evenodd'); }
      if (o.stroke && o.weight !== 0) {
        ctx.setLineDash((o._dashArray || []).map(function (d) { return d / f; }));
        ctx.globalAlpha = o.opacity; ctx.lineWidth = o.weight / f; ctx.strokeStyle = o.color;
        ctx.lineCap = 'butt'; ctx.lineJoin = 'bevel';
        ctx.stroke(layer._unit.path);
      }
      ctx.restore();
    }
  });

  // Cells and zones come in two bands: an overview simplified for the whole-region view, and the detail
  // once zoomed in (1.5 levels or more); other layers have one.
  function bandOf(info) {
    return (info.kind === 'cells' || info.kind === 'zones') && map.getZoom() < homeZoom + 1.5 ? 'overview' : 'detail';
  }
  // Hidden layers are fetched the first time they are shown (a national study's straddles alone are
  // megabytes nobody asked for), each band once.
  function ensureLoaded(key) {
    var e = layers[key];
    if (!e) return Promise.reject(new Error('no layer ' + key));
    var band = bandOf(e.info);
    e.bands = e.bands || {};
    var b = e.bands[band];
    if (b && b.ready) { useBand(e, band); return Promise.resolve(e); }
    if (!b) {
      b = e.bands[band] = {};
      b.loading = getJson('api/layers/' + encodeURIComponent(key) + (band === 'overview' ? '?band=overview' : '')).then(function (g) {
        if (!e.leaflet) {
          e.leaflet = buildLayer(e.info, g);
          e.band = band;
          // The shapes of a layer form one batch on the canvas; their edges are shared out in this band.
          var seen = new Set();
          e.leaflet.eachLayer(function (l) {
            byId[e.info.key + ':' + l.feature.properties.id] = l;
            if (l._projectOnce) { l._group = e; l._seen = seen; l._strokeKey = strokeKey(l.options); }
          });
        } else {
          // Another band of shapes already drawn: only their geometry changes (their styles, events and
          // selection stay); a zoom step that crosses bands then costs no more than another.
          b.units = {};
          var seenHere = new Set();
          g.features.forEach(function (f) { b.units[f.properties.id] = unitOfGeometry(f.geometry, seenHere); });
        }
        b.ready = true;
        useBand(e, band);
        publishLayers();
        return e;
      });
    }
    return b.loading;
  }
  function useBand(e, band) {
    // A zoom since the request wants the other band.
    if (e.band === band && e.placed || bandOf(e.info) !== band && e.placed) return;
    if (e.band !== band) {
      var first = e.bands[e.band];
      if (!first.units) { first.units = {}; e.leaflet.eachLayer(function (l) { if (!l._unit && l._projectOnce) l._projectOnce(); first.units[l.feature.properties.id] = l._unit; }); }
      var units = e.bands[band].units;
      e.leaflet.eachLayer(function (l) {
        var u = units[l.feature.properties.id];
        if (!u || !l._projectOnce) return;
        l._unit = u;
        if (l._map) l._project();
      });
      e.band = band;
      // Outside a zoom step (the band arrived later), the canvas is redrawn at the next frame.
      if (!moving && shapeRenderer._map) L.Util.requestAnimFrame(function () { shapeRenderer._redrawBounds = null; shapeRenderer._redraw(); });
    }
    e.placed = true;
    if (e.visible) placeLayer(e.info.key);
    if (e.info.kind === 'cells' && !e.coloured) {
      e.coloured = true;
      if (selected && selected.type === 'cell') outlineSelected(byId['cells:' + selected.id]);
      recolour();
    }
  }

  function setVisible(key, visible) {
    var e = layers[key];
    if (!e) return Promise.resolve();
    var box = document.querySelector('#layer-list input[data-layer="' + key + '"]');
    if (box) box.checked = visible;
    if (e.visible === visible) return visible ? ensureLoaded(key) : Promise.resolve();
    e.visible = visible;
    stateChanged();
    if (!visible) {
      if (e.leaflet && map.hasLayer(e.leaflet)) map.removeLayer(e.leaflet);
      publishLayers();
      updateLabels();
      return Promise.resolve();
    }
    return ensureLoaded(key).then(function () {
      if (e.visible) placeLayer(key);
      publishLayers();
      updateLabels();
    });
  }

  // Communes are drawn only when zoomed in enough to read them.
  function communesReadable() { return map.getZoom() >= homeZoom + 2; }
  function placeLayer(key) {
    var e = layers[key];
    if (!e.leaflet) return;
    var on = e.visible && (e.info.kind !== 'communes' || communesReadable());
    if (on && !map.hasLayer(e.leaflet)) {
      e.leaflet.addTo(map);
      if (e.info.kind === 'zones' || e.info.kind === 'defects') e.leaflet.bringToFront();
      // On the shared canvas the last added is drawn on top: zones stay over the cells.
      if (e.info.kind === 'cells') Object.keys(layers).forEach(function (k) {
        var z = layers[k];
        if (z.info.kind === 'zones' && z.leaflet && map.hasLayer(z.leaflet)) z.leaflet.bringToFront();
      });
    } else if (!on && map.hasLayer(e.leaflet)) map.removeLayer(e.leaflet);
    if (e.info.kind === 'communes') body.dataset.communesDrawn = String(on);
  }

  function publishLayers() {
    var keys = Object.keys(layers);
    body.dataset.loadedLayers = keys.filter(function (k) { return layers[k].leaflet; }).join(',');
    body.dataset.visibleLayers = keys.filter(function (k) { return layers[k].visible; }).join(',');
    var counts = {};
    keys.forEach(function (k) { if (layers[k].leaflet) counts[k] = layers[k].leaflet.getLayers().length; });
    body.dataset.layerCounts = JSON.stringify(counts);
  }

  function drawLayerList() {
    var list = document.getElementById('layer-list');
    list.innerHTML = '';
    study.layers.forEach(function (info) {
      var e = layers[info.key];
      if (!e) return;
      var s = styleFor(info)();
      var swatch = info.kind === 'sites' ? 'background:' + s.fillColor + ';border:1px solid ' + s.color + ';border-radius:50%'
        : info.kind === 'design' ? 'background:#fff;border:3px solid ' + s.color
        : info.kind === 'communes' ? 'background:#fff;border:1px solid ' + s.color
        : s.fill === false
        ? 'background:#fff;border:2px ' + (s.dashArray === '2 3' ? 'dotted ' : 'dashed ') + s.color
        : info.operator === 'gap' ? 'background:repeating-linear-gradient(45deg,' + s.color + ' 0 2px,#fff 2px 5px)'
        : 'background:' + (s.fillColor && s.fillColor.indexOf('url') !== 0 ? s.fillColor : '#fff') + ';border-color:' + s.color;
      var li = document.createElement('li');
      li.innerHTML = '<input type="checkbox" id="layer-' + esc(info.key) + '" data-layer="' + esc(info.key) + '"' + (e.visible ? ' checked' : '') + '>' +
        '<span class="swatch" data-style="' + esc(swatch) + '"></span><label for="layer-' + esc(info.key) + '">' + esc(layerLabel(info)) + ' (' + fmt(info.count, 0) + ')</label>';
      applyStyles(li);
      list.appendChild(li);
    });
    [['cells', 'labels_cells'], ['zones', 'labels_zones']].forEach(function (x) {
      var li = document.createElement('li');
      li.className = 'labels';
      li.innerHTML = '<input type="checkbox" id="labels-' + x[0] + '" data-labels="' + x[0] + '"' + (labelsOn[x[0]] ? ' checked' : '') + '>' +
        '<label for="labels-' + x[0] + '">' + esc(t(x[1])) + '</label>';
      list.appendChild(li);
    });
    if (study.source === 'results') {
      var note = document.createElement('li');
      note.innerHTML = '<em>' + esc(t('no_zones')) + '</em>';
      list.appendChild(note);
    }
  }

  // ---- labels: names where they fit ---------------------------------------------------------------
  // Label markers are made once per feature and kept: a zoom step only adds and removes the ones whose
  // fit changed (making hundreds of markers on every step cost more than drawing the map).
  var labelMarkers = {};
  function updateLabels() {
    if (!labelLayer) return;
    var view = map.getBounds().pad(0.1), shown = { cells: 0, zones: 0 }, wanted = {};
    function place(key, cls, colour) {
      var entries = index[key];
      if (!entries) return 0;
      var n = 0;
      Object.keys(entries).forEach(function (id) {
        var e = entries[id];
        if (!isFinite(e.label[0]) || !view.contains([e.label[1], e.label[0]])) return;
        var a = map.latLngToContainerPoint([e.bbox[1], e.bbox[0]]), b = map.latLngToContainerPoint([e.bbox[3], e.bbox[2]]);
        // A name is written only where its feature is wide enough to hold it.
        if (Math.abs(b.x - a.x) < e.name.length * MIN_LABEL_PX) return;
        var k = key + '\u0000' + id + '\u0000' + (colour || '');
        wanted[k] = true;
        n++;
        if (labelMarkers[k]) return;
        var m = L.marker([e.label[1], e.label[0]], {
          icon: L.divIcon({ className: 'map-label ' + cls, html: '<span>' + esc(e.name) + '</span>', iconSize: null }),
          interactive: false, keyboard: false, pane: 'labels'
        });
        labelMarkers[k] = m;
        labelLayer.addLayer(m);
        if (colour) m.getElement().firstChild.style.color = colour;
      });
      return n;
    }
    if (labelsOn.cells && layers.cells && layers.cells.visible) shown.cells = place('cells', 'label-cell');
    var zkey = 'zones-' + body.dataset.operator;
    if (labelsOn.zones && index[zkey]) shown.zones = place(zkey, 'label-zone', operatorColour(body.dataset.operator));
    Object.keys(labelMarkers).forEach(function (k) {
      if (wanted[k]) return;
      labelLayer.removeLayer(labelMarkers[k]);
      delete labelMarkers[k];
    });
    body.dataset.labels = JSON.stringify(shown);
  }

  // ---- design proposal ---------------------------------------------------------------------------
  function designTip(p) {
    var op = body.dataset.operator;
    return t('design') + ' — ' + p.name + ' (' + t('from_cell') + ' ' + (p.before_cell || '—') + ') — ' + operatorLabel(op) + ' : ' +
      t('m_misfit').toLowerCase() + ' ' + pct(p[op + '_misfit_before']) + ' → ' + pct(p[op + '_misfit']);
  }
  function drawDesignLegend() {
    var el = document.getElementById('design-legend');
    var d = study.design;
    el.hidden = !d;
    if (!d) return;
    var fitted = d.operators || [];
    var rows = study.operators.map(function (o) {
      var tot = d.totals && d.totals[o.key];
      if (!tot) return '';
      return '<tr data-operator="' + esc(o.key) + '"><td>' + esc(o.label) + (fitted.indexOf(o.key) >= 0 ? ' *' : '') + '</td><td>' +
        esc(fmt(tot.misfit_km2_before, 1)) + ' → ' + esc(fmt(tot.misfit_km2_after, 1)) + '</td></tr>';
    }).join('');
    el.innerHTML = '<h2>' + esc(t('design_title')) + '</h2>' +
      '<div class="design-key"><span class="swatch swatch-design"></span>' + esc(d.kind) + ' — ' + esc(d.perimeters) + ' ' + esc(t('perimeters')) +
      (d.cells_before ? ' (' + esc(d.cells_before) + ' ' + esc(t('cells_before')) + ')' : '') + '</div>' +
      '<table><tr><th></th><th>' + esc(t('misfit_before_after')) + '</th></tr>' + rows + '</table>' +
      (fitted.length ? '<div class="note">* ' + esc(t('fitted')) + '</div>' : '') +
      '<div class="note">' + esc(d.method || '') + '</div>';
  }

  // ---- selection -----------------------------------------------------------------------------------
  function zoneName(op, id) {
    var e = index['zones-' + op] && index['zones-' + op][id];
    if (e) return e.name;
    var z = zoneRows.find(function (r) { return r.operator === op && r.zone_id === id && r.cell_layer === 'cells'; });
    return z ? z.zone_name : id;
  }
  function cellName(id) {
    var e = index.cells && index.cells[id];
    return e ? e.name : id;
  }
  function boundsOf(key, id) {
    var e = index[key] && index[key][id];
    return e ? L.latLngBounds([e.bbox[1], e.bbox[0]], [e.bbox[3], e.bbox[2]]) : null;
  }

  function highlight(l) {
    if (!l) return;
    var old = l.options.color;
    l.setStyle({ color: '#00bcd4', weight: 5 });
    setTimeout(function () { l.setStyle({ color: old, weight: 2 }); }, 1500);
  }

  function selectCell(id, zoom) {
    selected = { type: 'cell', id: id };
    body.dataset.selectedCell = id;
    delete body.dataset.selectedZone; delete body.dataset.selectedCommune;
    var f = byId['cells:' + id];
    outlineSelected(f);
    var rows = cellRows.filter(function (r) { return r.cell_layer === 'cells' && r.cell_id === id; });
    var first = rows[0] || {};
    var html = '<h2>' + esc(cellName(id)) + ' <small>(' + esc(id) + ')</small></h2>' +
      '<div class="facts">' + t('area') + ' ' + fmt(first.area_km2, 1) + ' ' + t('km2') +
      (study.weights ? ' · ' + t('population') + ' ' + fmt(first.pop, 0) : '') + '</div>';
    rows.forEach(function (m) {
      var op = m.operator;
      var partners = pairRows.filter(function (p) { return p.cell_layer === 'cells' && p.cell_id === id && p.operator === op && p.significant; })
        .sort(function (a, b) { return b.share_of_cell - a.share_of_cell; });
      html += '<h3 data-style="color:' + operatorColour(op) + '">' + esc(operatorLabel(op)) + ' — ' + partners.length + ' ' + t(partners.length === 1 ? 'partner_of' : 'partners_of') + '</h3>' +
        '<table data-operator="' + esc(op) + '"><tr><th>' + t('zone') + '</th><th>' + t('share_area') + '</th>' +
        (study.weights ? '<th>' + t('share_pop') + '</th>' : '') + '<th></th></tr>' +
        partners.map(function (p) {
          return '<tr class="partner" data-operator="' + esc(op) + '" data-zone-id="' + esc(p.zone_id) + '" data-share-area="' + p.share_of_cell +
            '" data-share-pop="' + (p.pop_share_of_cell === null ? '' : p.pop_share_of_cell) + '"><td>' + esc(zoneName(op, p.zone_id)) + '</td><td>' +
            pct(p.share_of_cell) + '</td>' + (study.weights ? '<td>' + pct(p.pop_share_of_cell) + '</td>' : '') +
            '<td>' + (layers['zones-' + op] ? '<a data-zoom-zone="' + esc(op) + '|' + esc(p.zone_id) + '">' + t('zoom') + '</a>' : '') + '</td></tr>';
        }).join('') +
        '<tr class="op-summary" data-operator="' + esc(op) + '" data-gap-km2="' + m.gap_km2 + '" data-double-km2="' + m.double_km2 + '" data-misfit="' + m.misfit + '">' +
        '<td>' + t('gap_row') + ' / ' + t('double_row') + '</td><td>' + fmt(m.gap_km2, 3) + ' / ' + fmt(m.double_km2, 3) + ' ' + t('km2') + '</td>' +
        (study.weights ? '<td>' + fmt(m.pop_gap, 0) + ' / ' + fmt(m.pop_double, 0) + '</td>' : '') + '<td></td></tr>' +
        '<tr><td>' + t('misfit_row') + '</td><td>' + pct(m.misfit) + '</td>' + (study.weights ? '<td>' + pct(m.pop_misfit) + '</td>' : '') + '<td></td></tr></table>';
    });
    showPanel(html);
    var b = f ? f.getBounds() : boundsOf('cells', id);
    if (b && zoom) map.fitBounds(b, { maxZoom: 12 });
    stateChanged();
  }

  function outlineSelected(l) {
    // Deselected, the cell goes back among the cells, under the zones again (it was brought to the front).
    if (selectedLayer) { selectedLayer.setStyle({ color: '#333', weight: CELL_LINE }); if (selectedLayer._renderer && selectedLayer._renderer._backToLayer) selectedLayer._renderer._backToLayer(selectedLayer); }
    selectedLayer = l || null;
    if (selectedLayer) { selectedLayer.setStyle({ color: '#00bcd4', weight: 4 }); selectedLayer.bringToFront(); }
  }

  function selectZone(op, id, zoom) {
    outlineSelected(null);
    selected = { type: 'zone', op: op, id: id };
    body.dataset.selectedZone = op + ':' + id;
    delete body.dataset.selectedCell; delete body.dataset.selectedCommune;
    var key = 'zones-' + op;
    var touched = pairRows.filter(function (p) { return p.cell_layer === 'cells' && p.operator === op && p.zone_id === id && p.significant; })
      .sort(function (a, b) { return b.share_of_zone - a.share_of_zone; });
    var html = '<h2>' + esc(zoneName(op, id)) + ' <small>(' + esc(id) + ')</small></h2><div class="facts">' + esc(operatorLabel(op)) + '</div>' +
      '<h3>' + t('cells_touched') + ' (' + touched.length + ')</h3><table><tr><th>' + t('cell') + '</th><th>' + t('share_of_zone') + '</th></tr>' +
      touched.map(function (p) {
        return '<tr class="touched-cell" data-cell-id="' + esc(p.cell_id) + '"><td><a data-select-cell="' + esc(p.cell_id) + '">' + esc(cellName(p.cell_id)) +
          '</a></td><td>' + pct(p.share_of_zone) + '</td></tr>';
      }).join('') + '</table>';
    showPanel(html);
    var b = boundsOf(key, id);
    if (b && zoom) map.fitBounds(b, { maxZoom: 12 });
    if (layers[key]) setVisible(key, true).then(function () { highlight(byId[key + ':' + id]); });
    stateChanged();
  }

  function selectCommune(c) {
    outlineSelected(null);
    selected = { type: 'commune', id: c.id };
    body.dataset.selectedCommune = c.id;
    delete body.dataset.selectedCell; delete body.dataset.selectedZone;
    map.fitBounds(L.latLngBounds([c.bbox[1], c.bbox[0]], [c.bbox[3], c.bbox[2]]), { maxZoom: Math.max(12, homeZoom + 3) });
    if (layers.communes) setVisible('communes', true);
    if (pin) map.removeLayer(pin);
    pin = L.marker([c.label[1], c.label[0]], {
      icon: L.divIcon({ className: 'map-label label-pin', html: '<span>● ' + esc(c.name) + '</span>', iconSize: null }),
      interactive: false, keyboard: false, pane: 'labels'
    }).addTo(map);
    stateChanged();
  }
  var pin = null;

  // Opening or closing a panel changes the map's width: keep what was in view in view.
  function resizeKeepingView(change) {
    var before = map ? map.getBounds() : null;
    change();
    if (!map) return;
    map.invalidateSize({ animate: false });
    if (before) map.fitBounds(before, { animate: false });
  }

  function showPanel(html) {
    document.getElementById('panel-body').innerHTML = html;
    applyStyles(document.getElementById('panel-body'));
    var panel = document.getElementById('panel');
    if (panel.hidden) resizeKeepingView(function () { panel.hidden = false; });
  }
  function closePanel() {
    var panel = document.getElementById('panel');
    if (!panel.hidden) resizeKeepingView(function () { panel.hidden = true; });
    selected = null; outlineSelected(null);
    if (pin) { map.removeLayer(pin); pin = null; }
    delete body.dataset.selectedCell; delete body.dataset.selectedZone; delete body.dataset.selectedCommune;
    stateChanged();
  }

  // ---- search: cells, every operator's zones, communes; case, accents, hyphens and "St" folded -----
  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/[^a-z0-9]+/g, ' ').trim()
      .replace(/\bste\b/g, 'sainte').replace(/\bst\b/g, 'saint');
  }
  function searchEntries() {
    var out = [];
    Object.keys(index).forEach(function (key) {
      var info = layers[key] ? layers[key].info : null;
      if (!info) return;
      Object.keys(index[key]).forEach(function (id) {
        var e = index[key][id];
        out.push({ kind: info.kind === 'cells' ? 'cell' : 'zone', key: key, op: info.operator, id: id, name: e.name, folded: fold(e.name), entry: e });
      });
    });
    (communeIndex || []).forEach(function (c) { out.push({ kind: 'commune', key: 'communes', id: c.id, name: c.name, folded: fold(c.name), entry: c }); });
    return out;
  }
  var KIND_ORDER = { cell: 0, zone: 1, commune: 2 };
  function findMatches(text) {
    var q = fold(text);
    if (!q) return [];
    var hits = [];
    searchEntries().forEach(function (s) {
      var i = s.folded.indexOf(q);
      if (i < 0 && fold(s.id) !== q) return;
      // Whole name first, then names starting with the words typed, then words inside.
      var score = s.folded === q || fold(s.id) === q ? 0 : i === 0 ? 1 : s.folded.charAt(i - 1) === ' ' ? 2 : 3;
      hits.push({ s: s, score: score });
    });
    hits.sort(function (a, b) { return a.score - b.score || KIND_ORDER[a.s.kind] - KIND_ORDER[b.s.kind] || a.s.name.length - b.s.name.length || a.s.name.localeCompare(b.s.name); });
    return hits.map(function (h) { return h.s; });
  }
  function kindLabel(s) { return s.kind === 'zone' ? t('k_zone') + ' — ' + operatorLabel(s.op) : t('k_' + s.kind); }
  var lastMatches = [];
  function showMatches(text) {
    var box = document.getElementById('search-results');
    var matches = findMatches(text);
    // Several matches, listed by kind, a few of each.
    var perKind = {}, shown = [];
    matches.forEach(function (m) { var k = m.kind === 'zone' ? m.key : m.kind; perKind[k] = (perKind[k] || 0) + 1; if (perKind[k] <= 5) shown.push(m); });
    shown.sort(function (a, b) { return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0); });
    lastMatches = matches;
    body.dataset.searchResults = JSON.stringify(shown.map(function (m) { return { kind: m.kind, key: m.key, id: m.id, name: m.name }; }));
    if (!fold(text)) { box.hidden = true; box.innerHTML = ''; delete body.dataset.searchMessage; return; }
    if (!shown.length) {
      var msg = t('no_match') + ' « ' + text.trim() + ' »';
      body.dataset.searchMessage = msg;
      box.innerHTML = '<div class="none">' + esc(msg) + '</div>';
    } else {
      delete body.dataset.searchMessage;
      var lastHead = null, html = '';
      shown.forEach(function (m, i) {
        var head = kindLabel(m);
        if (head !== lastHead) { html += '<div class="kind">' + esc(head) + '</div>'; lastHead = head; }
        html += '<button type="button" data-i="' + matches.indexOf(m) + '">' + esc(m.name) + (m.kind === 'commune' || m.name === m.id ? '' : ' <small>' + esc(m.id) + '</small>') + '</button>';
      });
      box.innerHTML = html;
    }
    box.hidden = false;
  }
  function choose(m) {
    document.getElementById('search-results').hidden = true;
    if (m.kind === 'cell') selectCell(m.id, true);
    else if (m.kind === 'zone') selectZone(m.op, m.id, true);
    else selectCommune(m.entry);
  }
  function loadCommuneIndex() {
    if (communeIndex || !layers.communes) return Promise.resolve();
    return getJson('api/index/communes').then(function (j) {
      communeIndex = (j.communes || []).map(function (r) { return { id: r[0], name: r[1], bbox: [r[2], r[3], r[4], r[5]], label: [r[6], r[7]] }; });
    });
  }
  function search(text) {
    return loadCommuneIndex().then(function () {
      showMatches(text);
      if (lastMatches.length) choose(lastMatches[0]);
    });
  }

  // ---- permalink: the hash carries operator, metric, weighting, layers, labels, view, language, selection
  var hashReady = false, hashTimer = null;
  function stateChanged() {
    if (!hashReady) return;
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 50);
    hooks.stateChanged.forEach(function (f) { f(); });
  }
  function writeHash() {
    if (!map) return;
    var c = map.getCenter();
    var p = new URLSearchParams();
    p.set('op', body.dataset.operator); p.set('m', body.dataset.metric); p.set('w', body.dataset.weight);
    p.set('l', Object.keys(layers).filter(function (k) { return layers[k].visible; }).join(','));
    p.set('lab', ['cells', 'zones'].filter(function (k) { return labelsOn[k]; }).join(','));
    p.set('v', [map.getZoom(), c.lat.toFixed(5), c.lng.toFixed(5)].join('/'));
    p.set('lang', lang);
    if (selected && selected.type === 'cell') p.set('sel', 'cell:' + selected.id);
    if (selected && selected.type === 'zone') p.set('sel', 'zone:' + selected.op + ':' + selected.id);
    var hash = '#' + p.toString();
    if (location.hash !== hash) history.replaceState(null, '', hash);
    body.dataset.permalink = location.href;
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var out = {};
    p.forEach(function (v, k) { out[k] = v; });
    return out;
  }

  // ---- language ------------------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang;
    body.dataset.lang = lang;
    document.getElementById('lang').textContent = lang === 'fr' ? 'EN' : 'FR';
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (el) { el.placeholder = t(el.dataset.i18nPlaceholder); });
    document.querySelectorAll('[data-i18n-title]').forEach(function (el) { el.title = t(el.dataset.i18nTitle); el.setAttribute('aria-label', el.title); });
    if (!study) return;
    drawLayerList();
    drawLegend();
    drawDesignLegend();
    drawWorst();
    setStatus(body.dataset.status);
    if (selected && selected.type === 'cell') selectCell(selected.id, false);
    else if (selected && selected.type === 'zone') selectZone(selected.op, selected.id, false);
    stateChanged();
  }

  // ---- exports: the map as the static maps lay it out; the table of the cells in view -------------
  function niceScale(metresPerPx, maxPx) {
    var max = metresPerPx * maxPx, p = Math.pow(10, Math.floor(Math.log10(max))), best = p;
    [1, 2, 5].forEach(function (k) { if (k * p <= max) best = k * p; });
    return { metres: best, px: best / metresPerPx };
  }
  function fitText(ctx, text, width) {
    if (ctx.measureText(text).width <= width) return text;
    while (text.length > 1 && ctx.measureText(text + '…').width > width) text = text.slice(0, -1);
    return text + '…';
  }
  function exportLayout() {
    var size = map.getSize(), W = size.x, head = 54, foot = 36, H = head + size.y + foot;
    var font = '"DejaVu Sans", sans-serif';
    var canvas = document.createElement('canvas'), scale = 2;
    canvas.width = W * scale; canvas.height = H * scale;
    var ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    var layout = { width: W, height: H, pixelRatio: scale, map: { x: 0, y: head, w: W, h: size.y } };
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
    // The map, clipped to its band.
    ctx.save();
    ctx.beginPath(); ctx.rect(0, head, W, size.y); ctx.clip();
    ctx.translate(0, head);
    ctx.fillStyle = '#f3f1ec'; ctx.fillRect(0, 0, W, size.y);
    var pat = document.createElement('canvas'); pat.width = pat.height = 6;
    var pc = pat.getContext('2d'); pc.strokeStyle = STYLE.defects.gap.color; pc.lineWidth = 1.2; pc.beginPath(); pc.moveTo(0, 6); pc.lineTo(6, 0); pc.stroke();
    var hatchFill = ctx.createPattern(pat, 'repeat');
    ['cells', 'communes', 'zones', 'design', 'defects'].forEach(function (kind) {
      study.layers.forEach(function (info) {
        var e = layers[info.key];
        if (!e || !e.leaflet || !map.hasLayer(e.leaflet) || info.kind !== kind) return;
        e.leaflet.eachLayer(function (l) {
          var o = l.options, path = null, k = 1;
          if (l._unit && l._pxScale) {
            // A shape projected once (FastPath): its own path, placed as the map draws it.
            var pane = map._getMapPanePos();
            k = l._pxScale; path = l._unit.path;
            ctx.save(); ctx.transform(k, 0, 0, k, l._pxOffset[0] + pane.x, l._pxOffset[1] + pane.y);
          } else { ctx.beginPath(); traceRings(ctx, l.getLatLngs()); }
          if (o.fill !== false) {
            ctx.globalAlpha = o.fillOpacity;
            ctx.fillStyle = o.fillColor && o.fillColor.indexOf('url(') === 0 ? hatchFill : (o.fillColor || o.color);
            if (path) ctx.fill(path, 'evenodd'); else ctx.fill('evenodd');
          }
          ctx.globalAlpha = o.opacity === undefined ? 1 : o.opacity; ctx.strokeStyle = o.color; ctx.lineWidth = o.weight / k;
          ctx.setLineDash(o.dashArray ? o.dashArray.split(' ').map(function (d) { return Number(d) / k; }) : []);
          if (path) { ctx.stroke(path); ctx.restore(); } else ctx.stroke();
          ctx.globalAlpha = 1;
        });
      });
    });
    ctx.setLineDash([]);
    // The operators' sites shown on the map, with the map's symbol: a dot of the operator's colour, dark-ringed.
    var siteRows = [];
    study.layers.forEach(function (info) {
      var e = layers[info.key];
      if (info.kind !== 'sites' || !e || !e.leaflet || !map.hasLayer(e.leaflet)) return;
      var o = styleFor(info)();
      e.leaflet.eachLayer(function (l) { siteDot(ctx, map.latLngToContainerPoint(l.getLatLng()), o); });
      siteRows.push({ style: o, text: layerLabel(info) });
    });
    ctx.restore();
    // Title band: the study, then what is shown (metric, operator, weighting); cut to the width, never over it.
    ctx.fillStyle = '#222'; ctx.font = 'bold 15px ' + font; ctx.textBaseline = 'alphabetic';
    var title = fitText(ctx, study.name, W - 24);
    ctx.fillText(title, 12, 22);
    ctx.font = '12px ' + font;
    var weighting = t('weighting') + ' : ' + (byPopulation() ? t('w_pop') : t('w_area'));
    var subtitle = fitText(ctx, t('m_' + body.dataset.metric) + ' — ' + operatorLabel(body.dataset.operator) + ' — ' + weighting, W - 24);
    ctx.fillText(subtitle, 12, 42);
    layout.title = { x: 12, y: 6, w: Math.max(ctx.measureText(subtitle).width, 1), h: 42, text: title, subtitle: subtitle };
    // Legend: every class row, inside a box sized to its rows.
    var rows = legendRows();
    ctx.font = '12px ' + font;
    var lw = 0; rows.forEach(function (r) { lw = Math.max(lw, ctx.measureText(r.text).width); });
    ctx.font = 'bold 12px ' + font;
    var legendTitle = t('m_' + body.dataset.metric);
    lw = Math.max(lw + 30, ctx.measureText(legendTitle).width) + 20;
    siteRows.forEach(function (r) { lw = Math.max(lw, ctx.measureText(r.text).width + 50); });
    var lh = 26 + 18 * (rows.length + siteRows.length), lx = 10, ly = head + size.y - lh - 10;
    ctx.fillStyle = 'rgba(255,255,255,0.92)'; ctx.fillRect(lx, ly, lw, lh);
    ctx.strokeStyle = '#999'; ctx.lineWidth = 1; ctx.strokeRect(lx + 0.5, ly + 0.5, lw - 1, lh - 1);
    ctx.fillStyle = '#222'; ctx.fillText(legendTitle, lx + 10, ly + 17);
    ctx.font = '12px ' + font;
    var swatches = [];
    rows.forEach(function (r, i) {
      var y = ly + 26 + 18 * i;
      ctx.fillStyle = r.colour; ctx.fillRect(lx + 10, y, 18, 12);
      ctx.strokeStyle = '#555'; ctx.strokeRect(lx + 10.5, y + 0.5, 17, 11);
      ctx.fillStyle = '#222'; ctx.fillText(r.text, lx + 36, y + 10);
      swatches.push({ x: lx + 12, y: y + 2, w: 14, h: 8, colour: r.colour, text: r.text });
    });
    var sites = [];
    siteRows.forEach(function (r, i) {
      var y = ly + 26 + 18 * (rows.length + i), c = { x: lx + 19, y: y + 6 };
      siteDot(ctx, c, r.style);
      ctx.fillStyle = '#222'; ctx.fillText(r.text, lx + 36, y + 10);
      sites.push({ x: c.x, y: c.y, radius: r.style.radius, colour: r.style.fillColor, text: r.text });
    });
    layout.legend = { x: lx, y: ly, w: lw, h: lh, rows: swatches, sites: sites };
    // Scale bar, from the map's own metres per pixel at the middle of the view.
    var mid = size.y / 2, p0 = map.containerPointToLatLng([W / 2 - 50, mid]), p1 = map.containerPointToLatLng([W / 2 + 50, mid]);
    var s = niceScale(map.distance(p0, p1) / 100, Math.min(160, W / 4));
    var sx = W - 20 - s.px, sy = head + size.y - 22;
    var label = s.metres >= 1000 ? fmt(s.metres / 1000, 0) + ' km' : fmt(s.metres, 0) + ' m';
    ctx.fillStyle = 'rgba(255,255,255,0.92)'; ctx.fillRect(sx - 8, sy - 18, s.px + 16, 30);
    ctx.fillStyle = '#222'; ctx.fillRect(sx, sy, s.px, 4);
    ctx.fillRect(sx, sy - 5, 1.5, 9); ctx.fillRect(sx + s.px - 1.5, sy - 5, 1.5, 9);
    ctx.fillText(label, sx + s.px / 2 - ctx.measureText(label).width / 2, sy - 6);
    layout.scale = { x: sx, y: sy, w: s.px, h: 4, metres: s.metres, label: label };
    // Footer: sources on the left, CepGeo version and date on the right.
    ctx.font = '11px ' + font; ctx.fillStyle = '#444';
    var right = 'CepGeo ' + (study.version || '') + ' — ' + new Date().toISOString().slice(0, 10);
    var rw = ctx.measureText(right).width;
    var sources = fitText(ctx, t('sources') + ' : ' + (study.sources || study.name), W - rw - 40);
    ctx.fillText(sources, 12, H - 14);
    ctx.fillText(right, W - 12 - rw, H - 14);
    layout.footer = { y: H - foot, h: foot, sources: sources, right: right };
    return { canvas: canvas, layout: layout };
  }
  function siteDot(ctx, p, o) {
    ctx.beginPath(); ctx.arc(p.x, p.y, o.radius, 0, 2 * Math.PI);
    ctx.globalAlpha = o.fillOpacity; ctx.fillStyle = o.fillColor; ctx.fill();
    ctx.globalAlpha = 1; ctx.lineWidth = o.weight; ctx.strokeStyle = o.color; ctx.stroke();
  }
  function download(blob, name) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function exportPng() {
    var made = exportLayout();
    body.dataset.exportLayout = JSON.stringify(made.layout);
    made.canvas.toBlob(function (blob) { download(blob, 'cepgeo-map.png'); body.dataset.lastExport = 'cepgeo-map.png'; }, 'image/png');
  }
  function traceRings(ctx, latlngs) {
    if (!latlngs.length) return;
    if (Array.isArray(latlngs[0])) { latlngs.forEach(function (r) { traceRings(ctx, r); }); return; }
    latlngs.forEach(function (ll, i) {
      var p = map.latLngToContainerPoint(ll);
      if (i === 0) ctx.moveTo(p.x, p.y); else ctx.lineTo(p.x, p.y);
    });
    ctx.closePath();
  }
  // The rows of cells.csv for the chosen operator and the cells the view shows (their bounds meet it).
  function viewRows() {
    var v = map.getBounds();
    return cellRows.filter(function (r) {
      if (r.cell_layer !== 'cells' || r.operator !== body.dataset.operator) return false;
      var b = boundsOf('cells', r.cell_id);
      return b && v.intersects(b);
    });
  }
  function csvField(x) {
    if (x === null || x === undefined) return '';
    var s = String(x);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function exportViewCsv() {
    var rows = viewRows();
    var cols = cellRows.length ? Object.keys(cellRows[0]) : [];
    var text = cols.join(',') + '\n' + rows.map(function (r) { return cols.map(function (c) { return csvField(r[c]); }).join(','); }).join('\n') + '\n';
    body.dataset.viewRows = String(rows.length);
    download(new Blob([text], { type: 'text/csv;charset=utf-8' }), 'cells-view-' + body.dataset.operator + '.csv');
  }

  // ---- start ---------------------------------------------------------------------------------------
  function publishView() {
    var b = map.getBounds();
    body.dataset.zoom = String(map.getZoom());
    body.dataset.view = JSON.stringify([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
  }
  function makeMap() {
    var b = study.bounds;
    homeBounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    map = L.map('map', { zoomSnap: 0.25, preferCanvas: false, attributionControl: !!study.tiles, keyboard: true });
    if (map.attributionControl) map.attributionControl.setPrefix(false);
    [['cells', 400], ['communes', 410], ['zones', 420], ['design', 430], ['defects', 440], ['sites', 445], ['labels', 450]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });
    map.getPane('labels').style.pointerEvents = 'none';
    map.getPane('communes').style.pointerEvents = 'none';
    if (study.tiles) L.tileLayer(study.tiles, { maxZoom: 18, attribution: study.tiles.replace(/^\w+:\/\/([^/]+).*$/, '$1') }).addTo(map);
    map.fitBounds(homeBounds);
    homeZoom = map.getZoom();
    // A sensible range: from a little more than the whole region to a town (about 1:70 000), no further.
    map.setMinZoom(Math.max(0, homeZoom - 1));
    map.setMaxZoom(Math.max(homeZoom + 2, 13));
    map.setMaxBounds(homeBounds.pad(0.5));
    // Hatching for gaps: one SVG pattern in the defects pane's renderer.
    var renderer = L.svg({ pane: 'defects' });
    renderer.addTo(map);
    var svg = renderer._container, ns = 'http://www.w3.org/2000/svg';
    var defs = document.createElementNS(ns, 'defs');
    defs.innerHTML = '<pattern id="hatch-gap" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">' +
      '<rect width="6" height="6" fill="#fff" fill-opacity="0.6"/><line x1="0" y1="0" x2="0" y2="6" stroke="' + STYLE.defects.gap.color + '" stroke-width="2.5"/></pattern>';
    svg.insertBefore(defs, svg.firstChild);
    hatch = renderer;
    communeRenderer = new FastCanvas({ pane: 'communes' });
    // Sites: SVG, not canvas: a canvas over the whole map would take the clicks meant for the cells under it.
    siteRenderer = L.svg({ pane: 'sites' });
    // A zone line is thin: a click within a few pixels of it counts.
    shapeRenderer = new FastCanvas({ pane: 'cells', tolerance: 4 });
    labelLayer = L.layerGroup().addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    var Home = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: function () {
        var div = L.DomUtil.create('div', 'leaflet-bar home-control');
        div.innerHTML = '<a href="#" role="button" id="home" data-i18n-title="home">⌂</a>';
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.on(div.firstChild, 'click', function (ev) { L.DomEvent.preventDefault(ev); goHome(); });
        return div;
      }
    });
    new Home().addTo(map);
    // The view, published for scripts: zoom and [west, south, east, north].
    // Leaflet ends every zoom with zoomend then moveend: one handler, once per step.
    map.on('moveend', function () {
      moving = true;
      publishView();
      Object.keys(layers).forEach(function (k) {
        var e = layers[k];
        if (e.info.kind === 'communes' && e.leaflet) placeLayer(k);
        if (e.visible && e.band && e.band !== bandOf(e.info)) ensureLoaded(k);
      });
      moving = false;
      updateLabels();
      stateChanged();
    });
    publishView();
  }
  function goHome() { map.fitBounds(homeBounds); }

  function indexFrom(json) {
    Object.keys(json).forEach(function (key) {
      var m = {};
      json[key].forEach(function (r) { m[r[0]] = { name: r[1], bbox: [r[2], r[3], r[4], r[5]], label: [r[6], r[7]] }; });
      index[key] = m;
    });
  }

  function start() {
    setStatus('loading');
    var wanted = readHash();
    if (wanted.lang === 'en' || wanted.lang === 'fr') lang = wanted.lang;
    Promise.all([getJson('api/study'), getJson('api/metrics/cells'), getJson('api/metrics/pairs'), getJson('api/metrics/zones'), getJson('api/index'), getJson('api/style')])
      .then(function (res) {
        study = res[0]; cellRows = res[1]; pairRows = res[2]; zoneRows = res[3];
        indexFrom(res[4]);
        useStyle(res[5]);
        if (study.design) body.dataset.design = study.design.kind;
        document.getElementById('title').textContent = study.name;
        document.title = 'CepGeo — ' + study.name;
        var opSelect = document.getElementById('operator');
        opSelect.innerHTML = study.operators.map(function (o) { return '<option value="' + esc(o.key) + '">' + esc(o.label) + '</option>'; }).join('');
        var ops = study.operators.map(function (o) { return o.key; });
        body.dataset.metric = METRICS[wanted.m] ? wanted.m : 'misfit';
        // Population where the study has weights, as the maps, the report and the atlas colour (spec, issue 22);
        // a link that names its weighting keeps it.
        body.dataset.weight = wanted.w === 'pop' || wanted.w === 'area' ? wanted.w : study.weights ? 'pop' : 'area';
        body.dataset.operator = ops.indexOf(wanted.op) >= 0 ? wanted.op : (ops[0] || '');
        document.getElementById('metric').value = body.dataset.metric;
        document.getElementById('weight').value = body.dataset.weight;
        opSelect.value = body.dataset.operator;
        if (wanted.lab !== undefined) { labelsOn.cells = wanted.lab.split(',').indexOf('cells') >= 0; labelsOn.zones = wanted.lab.split(',').indexOf('zones') >= 0; }
        makeMap();
        study.layers.forEach(function (info) { layers[info.key] = { info: info, leaflet: null, visible: false }; });
        if (!study.layers.some(function (info) { return info.kind === 'sites'; }))
          document.querySelectorAll('#metric option[data-sites]').forEach(function (o) { o.remove(); });
        if (METRICS[body.dataset.metric].byPeople && !document.querySelector('#metric option[value="' + body.dataset.metric + '"]')) body.dataset.metric = 'misfit';
        document.getElementById('metric').value = body.dataset.metric;
        // Default view: the cells coloured, the chosen operator's zones, gaps and double coverage;
        // a shared link names its own layers.
        var shown = wanted.l !== undefined ? wanted.l.split(',') : study.layers.filter(function (info) {
          return info.kind === 'cells' || info.kind === 'design' || (info.kind === 'defects' && info.operator !== 'straddle') ||
            (info.kind === 'zones' && info.operator === body.dataset.operator);
        }).map(function (info) { return info.key; });
        if (wanted.v) {
          var v = wanted.v.split('/').map(Number);
          if (v.length === 3 && v.every(isFinite)) map.setView([v[1], v[2]], v[0], { animate: false });
        }
        return Promise.all(shown.filter(function (k) { return layers[k]; }).map(function (k) { return setVisible(k, true); }));
      })
      .then(function () {
        publishLayers();
        recolour();
        drawLayerList();
        applyLanguage();
        updateLabels();
        var sel = wanted.sel || '';
        if (sel.indexOf('cell:') === 0) selectCell(sel.slice(5), false);
        else if (sel.indexOf('zone:') === 0) { var z = sel.slice(5), i = z.indexOf(':'); selectZone(z.slice(0, i), z.slice(i + 1), false); }
        if (wanted.v) { var v = wanted.v.split('/').map(Number); if (v.every(isFinite)) map.setView([v[1], v[2]], v[0], { animate: false }); }
        hashReady = true;
        writeHash();
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            body.dataset.firstPaintMs = String(Math.round(performance.now() - started));
            setStatus('ready');
          });
        });
      })
      .catch(function (e) { setStatus('error'); document.getElementById('status').textContent = t('error') + ': ' + e.message; });
  }

  function setOperator(op) {
    var before = body.dataset.operator;
    body.dataset.operator = op;
    document.getElementById('operator').value = op;
    // The map shows what the legend says: the chosen operator's boundaries, not the previous one's.
    if (before !== op) {
      if (layers['zones-' + before]) setVisible('zones-' + before, false);
      if (layers['zones-' + op]) setVisible('zones-' + op, true);
      if (siteLayerOf(before) && layers[siteLayerOf(before)].visible) { setVisible(siteLayerOf(before), false); if (siteLayerOf(op)) setVisible(siteLayerOf(op), true); }
    }
    recolour();
    updateLabels();
    if (selected && selected.type === 'cell') selectCell(selected.id, false);
  }

  function toggleControls(open) {
    resizeKeepingView(function () { body.dataset.controls = open ? 'open' : 'closed'; });
  }

  document.getElementById('layer-list').addEventListener('change', function (ev) {
    if (ev.target.dataset.layer) setVisible(ev.target.dataset.layer, ev.target.checked);
    if (ev.target.dataset.labels) { labelsOn[ev.target.dataset.labels] = ev.target.checked; updateLabels(); stateChanged(); }
  });
  document.getElementById('metric').addEventListener('change', function (ev) { setMetric(ev.target.value); });
  // A distance metric shows the chosen operator's sites, or moves to the first operator that has some.
  function setMetric(metric) {
    body.dataset.metric = metric;
    document.getElementById('metric').value = metric;
    if (METRICS[metric].byPeople) {
      if (!siteLayerOf(body.dataset.operator)) {
        var withSites = study.operators.find(function (o) { return siteLayerOf(o.key); });
        if (withSites) setOperator(withSites.key);
      }
      if (siteLayerOf(body.dataset.operator)) setVisible(siteLayerOf(body.dataset.operator), true);
    }
    recolour();
  }
  document.getElementById('weight').addEventListener('change', function (ev) { body.dataset.weight = ev.target.value; recolour(); });
  document.getElementById('operator').addEventListener('change', function (ev) { setOperator(ev.target.value); });
  document.getElementById('worst').addEventListener('click', function (ev) {
    var li = ev.target.closest('li[data-cell-id]');
    if (li) selectCell(li.dataset.cellId, true);
  });
  document.getElementById('panel-body').addEventListener('click', function (ev) {
    var a = ev.target.closest('a');
    if (!a) return;
    if (a.dataset.zoomZone) { var parts = a.dataset.zoomZone.split('|'); selectZone(parts[0], parts.slice(1).join('|'), true); }
    if (a.dataset.selectCell) selectCell(a.dataset.selectCell, true);
  });
  document.getElementById('panel-close').addEventListener('click', closePanel);
  var searchBox = document.getElementById('search'), searchTimer = null;
  searchBox.addEventListener('focus', function () { loadCommuneIndex(); });
  searchBox.addEventListener('input', function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { loadCommuneIndex().then(function () { showMatches(searchBox.value); }); }, 120);
  });
  searchBox.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { ev.preventDefault(); clearTimeout(searchTimer); search(searchBox.value); }
    if (ev.key === 'Escape') document.getElementById('search-results').hidden = true;
  });
  document.getElementById('search-results').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-i]');
    if (b) choose(lastMatches[Number(b.dataset.i)]);
  });
  document.getElementById('lang').addEventListener('click', function () { lang = lang === 'fr' ? 'en' : 'fr'; applyLanguage(); });
  document.getElementById('menu').addEventListener('click', function () { toggleControls(body.dataset.controls !== 'open'); });
  document.getElementById('export-png').addEventListener('click', exportPng);
  document.getElementById('export-view').addEventListener('click', exportViewCsv);
  // Phones open on the map; the layers and metrics are a drawer behind the menu button.
  body.dataset.controls = window.matchMedia('(max-width: 720px)').matches ? 'closed' : 'open';

  // Published for scripts, tests and the plan mode (plan.js): small hooks, not the page's insides.
  window.cepgeo = {
    selectCell: selectCell,
    selectZone: selectZone,
    setOperator: setOperator,
    setMetric: setMetric,
    setVisible: setVisible,
    goHome: function () { goHome(); },
    search: function (text) { return loadCommuneIndex().then(function () { showMatches(text); return JSON.parse(body.dataset.searchResults || '[]'); }); },
    // The colour index (0 = lightest … 4 = darkest) a value of a metric gets, as the cells are coloured.
    classOf: function (metric, v) { return classOf(v, metric); },
    exportLayout: function () { return exportLayout().layout; },
    // The Leaflet map, for the plan mode (plan.js) and the benchmarks.
    map: function () { return map; },
    study: function () { return study; },
    onStateChanged: function (f) { hooks.stateChanged.push(f); },
    // Where a lon/lat point is on the page (to click a place as a person would).
    pointOf: function (lon, lat) {
      var p = map.latLngToContainerPoint([lat, lon]), r = map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }
  };
  start();
})();
