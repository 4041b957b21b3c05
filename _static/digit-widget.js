/* Draw a digit: the book's trained networks, run in the reader's browser.

   Plain JavaScript, no library and no network request beyond this book's own files. Three
   parts, each the JavaScript twin of Python the book explains:

   1. The forward pass (chapter 1 computes every operation by hand, chapter 4 stacks them):
      convolution, ReLU, max pooling, flatten, dense, softmax, plus batch normalisation as a
      per-channel affine map where the exporter could not fold it (helpers/export.py).
   2. The preprocessing of chapter 9 (helpers/digits.py, `preprocess_digit`): grayscale, ink
      on black, crop to the ink, a 20x20 box keeping the aspect ratio, centre of mass at
      (14, 14) of a 28x28 field, values in [0, 1].
   3. The widget: a drawing area (pointer events: mouse, touch and pen), the 28x28 image the
      network sees, ten probabilities as bars, and buttons to clear, load a sample digit and
      switch network.

   Jupyter Book includes this file on every page; it does nothing on a page without an
   element of class "digit-widget". `window.digitWidget` exposes parts 1 and 2 to the tests.
*/
(function () {
  "use strict";

  // ---------------------------------------------------------------------------------------
  // 1. The forward pass. Activations are Float32Arrays in channels-last order (row, column,
  //    channel), Keras's own layout, so Flatten needs no reordering (chapter 4).
  // ---------------------------------------------------------------------------------------

  /** A map of `h` rows, `w` columns and `c` channels: data[(y * w + x) * c + k]. */
  function tensor(h, w, c, data) {
    return { h: h, w: w, c: c, data: data || new Float32Array(h * w * c) };
  }

  /** Top and left padding of Keras's "same" (the odd extra row or column goes bottom/right). */
  function samePadding(size, window, stride) {
    var out = Math.ceil(size / stride);
    var total = Math.max((out - 1) * stride + window - size, 0);
    return { out: out, before: Math.floor(total / 2) };
  }

  /** Convolution (chapter 1): each filter slides over the map; at each place multiply the
      window by the filter's weights, add everything up and add the bias. Kernel layout is
      Keras's (rows, cols, in channels, filters). "valid" keeps only places where the whole
      window fits (28 -> 26 for 3x3); "same" pads with zeros so the size stays. */
  function conv2d(input, kernel, bias, kh, kw, filters, padding) {
    var rows, cols, top = 0, left = 0;
    if (padding === "same") {
      var pr = samePadding(input.h, kh, 1), pc = samePadding(input.w, kw, 1);
      rows = pr.out; cols = pc.out; top = pr.before; left = pc.before;
    } else {
      rows = input.h - kh + 1; cols = input.w - kw + 1;
    }
    var out = tensor(rows, cols, filters);
    var acc = new Float64Array(filters);
    var cin = input.c;
    for (var y = 0; y < rows; y++) {
      for (var x = 0; x < cols; x++) {
        acc.set(bias);
        for (var i = 0; i < kh; i++) {
          var iy = y + i - top;
          if (iy < 0 || iy >= input.h) continue;  // zero padding adds nothing
          for (var j = 0; j < kw; j++) {
            var ix = x + j - left;
            if (ix < 0 || ix >= input.w) continue;
            var inBase = (iy * input.w + ix) * cin;
            var kBase = (i * kw + j) * cin * filters;
            for (var k = 0; k < cin; k++) {
              var v = input.data[inBase + k];
              if (v === 0) continue;  // after a ReLU many inputs are 0
              var kRow = kBase + k * filters;
              for (var f = 0; f < filters; f++) acc[f] += v * kernel[kRow + f];
            }
          }
        }
        out.data.set(acc, (y * cols + x) * filters);
      }
    }
    return out;
  }

  /** Max pooling (chapter 1): the largest value of each window, channel by channel. */
  function maxPool2d(input, ph, pw, sh, sw, padding) {
    var rows, cols, top = 0, left = 0;
    if (padding === "same") {
      var pr = samePadding(input.h, ph, sh), pc = samePadding(input.w, pw, sw);
      rows = pr.out; cols = pc.out; top = pr.before; left = pc.before;
    } else {
      rows = Math.floor((input.h - ph) / sh) + 1; cols = Math.floor((input.w - pw) / sw) + 1;
    }
    var c = input.c, out = tensor(rows, cols, c);
    for (var y = 0; y < rows; y++) {
      for (var x = 0; x < cols; x++) {
        for (var k = 0; k < c; k++) {
          var best = -Infinity;
          for (var i = 0; i < ph; i++) {
            var iy = y * sh + i - top;
            if (iy < 0 || iy >= input.h) continue;  // "same" pooling ignores the padding
            for (var j = 0; j < pw; j++) {
              var ix = x * sw + j - left;
              if (ix < 0 || ix >= input.w) continue;
              var v = input.data[(iy * input.w + ix) * c + k];
              if (v > best) best = v;
            }
          }
          out.data[(y * cols + x) * c + k] = best;
        }
      }
    }
    return out;
  }

  /** Batch normalisation at inference (chapter 7): per channel, scale * x + shift. */
  function affine(input, scale, shift) {
    var out = tensor(input.h, input.w, input.c);
    for (var p = 0; p < input.data.length; p++) {
      var k = p % input.c;
      out.data[p] = input.data[p] * scale[k] + shift[k];
    }
    return out;
  }

  /** ReLU (chapter 1): negative values become 0. Softmax (chapter 1): exponentials scaled to
      sum to 1, after subtracting the largest value so that no exponential overflows. */
  function activate(t, name) {
    var d = t.data, p;
    if (name === "relu") {
      for (p = 0; p < d.length; p++) if (d[p] < 0) d[p] = 0;
    } else if (name === "softmax") {
      var max = -Infinity, sum = 0;
      for (p = 0; p < d.length; p++) if (d[p] > max) max = d[p];
      var e = new Float64Array(d.length);
      for (p = 0; p < d.length; p++) { e[p] = Math.exp(d[p] - max); sum += e[p]; }
      for (p = 0; p < d.length; p++) d[p] = e[p] / sum;
    } else if (name !== "linear") {
      throw new Error("unknown activation " + name);
    }
    return t;
  }

  /** Dense layer (chapter 4): every output is a weighted sum of every input plus a bias.
      Kernel layout is Keras's (inputs, units). */
  function dense(input, kernel, bias, units) {
    var n = input.data.length, acc = new Float64Array(bias);
    for (var i = 0; i < n; i++) {
      var v = input.data[i];
      if (v === 0) continue;
      var row = i * units;
      for (var u = 0; u < units; u++) acc[u] += v * kernel[row + u];
    }
    return tensor(1, 1, units, Float32Array.from(acc));
  }

  /** Global average pooling: the mean of each channel over the whole map. */
  function globalAvgPool(input) {
    var out = new Float64Array(input.c), n = input.h * input.w;
    for (var p = 0; p < input.data.length; p++) out[p % input.c] += input.data[p];
    for (var k = 0; k < input.c; k++) out[k] /= n;
    return tensor(1, 1, input.c, Float32Array.from(out));
  }

  /** Run one layer of an exported header (see helpers/export.py for the layer types). */
  function runLayer(layer, w, t) {
    switch (layer.type) {
      case "conv2d": {
        var ks = layer.weights.kernel.shape;  // [rows, cols, in channels, filters]
        return activate(conv2d(t, w.kernel, w.bias, ks[0], ks[1], ks[3], layer.padding), layer.activation);
      }
      case "max_pool2d":
        return maxPool2d(t, layer.pool_size[0], layer.pool_size[1], layer.strides[0], layer.strides[1],
          layer.padding);
      case "affine":
        return affine(t, w.scale, w.shift);
      case "activation":
        return activate(t, layer.activation);
      case "flatten":  // channels-last data is already in Keras's flatten order (chapter 4)
        return tensor(1, 1, t.data.length, t.data);
      case "dropout":  // dropout only acts while training (chapter 7): the identity here
        return t;
      case "global_avg_pool2d":
        return globalAvgPool(t);
      case "dense":
        return activate(dense(t, w.kernel, w.bias, layer.weights.kernel.shape[1]), layer.activation);
      default:
        throw new Error("the page cannot run a layer of type " + layer.type);
    }
  }

  /** A network's 10 probabilities for one 28x28 image (784 values in [0, 1], row by row). */
  function forward(network, pixels) {
    var t = tensor(28, 28, 1, Float32Array.from(pixels));
    network.header.layers.forEach(function (layer, index) {
      t = runLayer(layer, network.weights[index], t);
    });
    return Array.from(t.data);
  }

  /** Fetch an exported network: its JSON header, then its float32 weights. */
  function loadNetwork(baseUrl, headerFile) {
    return fetch(baseUrl + headerFile).then(function (r) {
      if (!r.ok) throw new Error("could not load " + headerFile + " (HTTP " + r.status + ")");
      return r.json();
    }).then(function (header) {
      if (header.format !== "cnn-book-digit-widget" || header.version !== 1) {
        throw new Error(headerFile + " is not a header this page can read");
      }
      return fetch(baseUrl + header.binary).then(function (r) {
        if (!r.ok) throw new Error("could not load " + header.binary + " (HTTP " + r.status + ")");
        return r.arrayBuffer();
      }).then(function (buffer) {
        if (buffer.byteLength !== header.bytes) throw new Error(header.binary + " is truncated");
        var weights = header.layers.map(function (layer) {
          var arrays = {};
          Object.keys(layer.weights || {}).forEach(function (role) {
            var where = layer.weights[role];
            var count = where.shape.reduce(function (a, b) { return a * b; }, 1);
            arrays[role] = new Float32Array(buffer, where.offset, count);
          });
          return arrays;
        });
        return { header: header, weights: weights, bytes: buffer.byteLength };
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // 2. Chapter 9's preprocessing, step by step as in helpers/digits.py. Images are
  //    { h, w, data: Float32Array } holding one grey value per pixel.
  // ---------------------------------------------------------------------------------------

  var MIN_CONTRAST = 0.15, INK_THRESHOLD = 0.25, BOX = 20, SIZE = 28, CENTER = 14;

  /** Python's round(): halves go to the even neighbour (round(2.5) == 2). */
  function roundHalfEven(v) {
    var r = Math.round(v);
    return (Math.abs(v % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }

  /** Step 1: RGBA pixels (already laid on white paper) to grey in [0, 1], with the integer
      BT.601 weights Pillow's convert("L") uses. */
  function grayscale(imageData) {
    var n = imageData.width * imageData.height, d = imageData.data, out = new Float32Array(n);
    for (var p = 0; p < n; p++) {
      var r = d[4 * p], g = d[4 * p + 1], b = d[4 * p + 2];
      out[p] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255;
    }
    return { h: imageData.height, w: imageData.width, data: out };
  }

  function median(values) {
    var s = Float64Array.from(values).sort(), m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** Step 2: ink white on black. The paper's level is the median of the outermost pixels; a
      light paper is inverted; the ink is stretched so its strongest pixel is 1 and what stays
      under a quarter of that becomes 0. Returns null when no ink stands out. */
  function inkOnBlack(gray) {
    var h = gray.h, w = gray.w, d = gray.data, border = [], x, y, p;
    for (x = 0; x < w; x++) border.push(d[x]);
    for (x = 0; x < w; x++) border.push(d[(h - 1) * w + x]);
    for (y = 0; y < h; y++) border.push(d[y * w]);
    for (y = 0; y < h; y++) border.push(d[y * w + w - 1]);
    var background = median(border), inverted = background > 0.5;
    var ink = new Float32Array(d.length), strength = -Infinity;
    for (p = 0; p < d.length; p++) {
      ink[p] = inverted ? (1 - d[p]) - (1 - background) : d[p] - background;
      if (ink[p] > strength) strength = ink[p];
    }
    if (strength < MIN_CONTRAST) return null;
    for (p = 0; p < d.length; p++) {
      var v = Math.min(Math.max(ink[p] / strength, 0), 1);
      ink[p] = v < INK_THRESHOLD ? 0 : v;
    }
    return { h: h, w: w, data: ink };
  }

  /** Step 3: the ink's bounding box, ignoring single-pixel specks: a pixel counts if the
      median of its 3x3 neighbourhood (edges repeated, as Pillow's MedianFilter) is above 0,
      that is if at least 5 of its 9 neighbours hold ink. */
  function inkBox(ink) {
    var h = ink.h, w = ink.w, d = ink.data;
    function box(useMedian) {
      var top = h, bottom = -1, left = w, right = -1;
      for (var y = 0; y < h; y++) {
        for (var x = 0; x < w; x++) {
          var on;
          if (useMedian) {
            var count = 0;
            for (var i = -1; i <= 1; i++) {
              var yy = Math.min(Math.max(y + i, 0), h - 1);
              for (var j = -1; j <= 1; j++) {
                if (d[yy * w + Math.min(Math.max(x + j, 0), w - 1)] > 0) count++;
              }
            }
            on = count >= 5;
          } else {
            on = d[y * w + x] > 0;
          }
          if (on) {
            if (y < top) top = y;
            if (y > bottom) bottom = y;
            if (x < left) left = x;
            if (x > right) right = x;
          }
        }
      }
      return bottom < 0 ? null : { top: top, bottom: bottom + 1, left: left, right: right + 1 };
    }
    return box(true) || box(false);
  }

  function crop(img, b) {
    var h = b.bottom - b.top, w = b.right - b.left, out = new Float32Array(h * w);
    for (var y = 0; y < h; y++) {
      for (var x = 0; x < w; x++) out[y * w + x] = img.data[(y + b.top) * img.w + x + b.left];
    }
    return { h: h, w: w, data: out };
  }

  /** Pillow's bilinear resampling along one axis (with its anti-aliasing: when shrinking,
      the triangle filter widens to cover every source pixel). Weights per output pixel. */
  function resampleCoefficients(inSize, outSize) {
    var scale = inSize / outSize, filterscale = Math.max(scale, 1), support = filterscale;
    var coeffs = [];
    for (var o = 0; o < outSize; o++) {
      var center = (o + 0.5) * scale, ss = 1 / filterscale;
      var xmin = Math.max(Math.trunc(center - support + 0.5), 0);
      var xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
      var weights = [], total = 0;
      for (var x = xmin; x < xmax; x++) {
        var t = Math.abs((x - center + 0.5) * ss), wgt = t < 1 ? 1 - t : 0;
        weights.push(wgt); total += wgt;
      }
      if (total !== 0) weights = weights.map(function (v) { return v / total; });
      coeffs.push({ start: xmin, weights: weights });
    }
    return coeffs;
  }

  /** Resize like Pillow's Image.resize(..., BILINEAR) on a float image: rows first, then
      columns, each pass rounded to float32 as Pillow stores it. */
  function resize(img, newH, newW) {
    var cur = img;
    if (newW !== img.w) {
      var cx = resampleCoefficients(img.w, newW), hor = new Float32Array(img.h * newW);
      for (var y = 0; y < img.h; y++) {
        for (var x = 0; x < newW; x++) {
          var s = 0, c = cx[x];
          for (var k = 0; k < c.weights.length; k++) s += img.data[y * img.w + c.start + k] * c.weights[k];
          hor[y * newW + x] = s;
        }
      }
      cur = { h: img.h, w: newW, data: hor };
    }
    if (newH !== cur.h) {
      var cy = resampleCoefficients(cur.h, newH), ver = new Float32Array(newH * cur.w);
      for (var yy = 0; yy < newH; yy++) {
        var cc = cy[yy];
        for (var xx = 0; xx < cur.w; xx++) {
          var sum = 0;
          for (var kk = 0; kk < cc.weights.length; kk++) sum += cur.data[(cc.start + kk) * cur.w + xx] * cc.weights[kk];
          ver[yy * cur.w + xx] = sum;
        }
      }
      cur = { h: newH, w: cur.w, data: ver };
    }
    return cur;
  }

  /** Step 4: scale the crop so its longer side is 20 pixels, keeping the aspect ratio, then
      stretch it so the strongest pixel is 1. */
  function fitInBox(cropped) {
    var scale = BOX / Math.max(cropped.h, cropped.w);
    var h = Math.max(1, roundHalfEven(cropped.h * scale)), w = Math.max(1, roundHalfEven(cropped.w * scale));
    var out = resize(cropped, h, w), max = 0, p;
    for (p = 0; p < out.data.length; p++) {
      if (out.data[p] < 0) out.data[p] = 0;
      if (out.data[p] > max) max = out.data[p];
    }
    for (p = 0; p < out.data.length; p++) out.data[p] = out.data[p] / max;
    return out;
  }

  /** Step 5: place the boxed digit in a 28x28 black field, shifted by whole pixels so that
      its centre of mass lands as near (14, 14) as the field allows. */
  function centerByMass(boxed) {
    var total = 0, rowSum = 0, colSum = 0, y, x;
    for (y = 0; y < boxed.h; y++) {
      for (x = 0; x < boxed.w; x++) {
        var v = boxed.data[y * boxed.w + x];
        total += v; rowSum += y * v; colSum += x * v;
      }
    }
    var top = Math.min(Math.max(roundHalfEven(CENTER - rowSum / total), 0), SIZE - boxed.h);
    var left = Math.min(Math.max(roundHalfEven(CENTER - colSum / total), 0), SIZE - boxed.w);
    var field = new Float32Array(SIZE * SIZE);
    for (y = 0; y < boxed.h; y++) {
      for (x = 0; x < boxed.w; x++) field[(y + top) * SIZE + x + left] = boxed.data[y * boxed.w + x];
    }
    return field;
  }

  /** Chapter 9's preprocessing of a picture (ImageData on white paper). Returns
      { pixels: Float32Array(784), box } or { error: a sentence for the reader }. */
  function preprocess(imageData) {
    var ink = inkOnBlack(grayscale(imageData));
    if (!ink) return { error: "The drawing area is empty: draw one digit, 0 to 9." };
    var box = inkBox(ink);
    return { pixels: centerByMass(fitInBox(crop(ink, box))), box: box };
  }

  // ---------------------------------------------------------------------------------------
  // 3. The widget.
  // ---------------------------------------------------------------------------------------

  var CANVAS_SIDE = 280, PEN_WIDTH = 22;
  /** A drawing whose ink fits in a square this wide (a tenth of the area) is a dot, not a digit. */
  var MIN_INK_SIDE = 28;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function pictureData(source, width, height) {
    var c = el("canvas"); c.width = width; c.height = height;
    var ctx = c.getContext("2d", { willReadFrequently: true });
    ctx.fillStyle = "#ffffff";  // transparent pixels become white paper, as in chapter 9
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(source, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height);
  }

  function loadImage(url) {
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { reject(new Error("could not load " + url)); };
      img.src = url;
    });
  }

  function Widget(root) {
    this.root = root;
    this.base = root.getAttribute("data-base") || "_static/digit-widget-data/";
    this.networks = {};
    this.strokes = 0;
    this.sampleIndex = -1;
    this.source = null;  // "drawing" or a sample's ImageData
    this.timing = null;
  }

  Widget.prototype.build = function (manifest) {
    var self = this, root = this.root;
    root.textContent = "";
    this.manifest = manifest;
    var pad = el("div", { class: "dw-pad" });
    this.canvas = el("canvas", {
      class: "dw-canvas", width: CANVAS_SIDE, height: CANVAS_SIDE, role: "img",
      "aria-label": "Drawing area: draw one digit here with a mouse, a finger or a pen",
    });
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    pad.appendChild(this.canvas);
    var controls = el("div", { class: "dw-controls" });
    this.clearButton = el("button", { type: "button", class: "dw-button" }, "Clear");
    this.sampleButton = el("button", { type: "button", class: "dw-button" }, "Load a sample digit");
    var selectId = "dw-network-" + Math.random().toString(36).slice(2, 8);
    var label = el("label", { for: selectId }, "Network ");
    this.select = el("select", { id: selectId, class: "dw-select" });
    manifest.networks.forEach(function (n) { self.select.appendChild(el("option", { value: n.name }, n.label)); });
    controls.append(this.clearButton, this.sampleButton, label, this.select);
    pad.appendChild(controls);

    var seen = el("figure", { class: "dw-seen" });
    this.preview = el("canvas", {
      class: "dw-preview", width: SIZE, height: SIZE, role: "img",
      "aria-label": "The 28 by 28 image the network sees, ink dark on light",
    });
    this.previewCtx = this.preview.getContext("2d");
    seen.append(this.preview, el("figcaption", {}, "What the network sees: 28 × 28 pixels"));

    var chart = el("div", { class: "dw-chart" });
    chart.appendChild(el("p", { class: "dw-chart-title", id: selectId + "-chart" }, "Probability of each digit"));
    this.bars = [];
    var list = el("ol", { class: "dw-bars", start: "0", "aria-labelledby": selectId + "-chart" });
    for (var d = 0; d < 10; d++) {
      var item = el("li", { class: "dw-bar-row" });
      var name = el("span", { class: "dw-bar-digit" }, String(d));
      var track = el("span", { class: "dw-bar-track", "aria-hidden": "true" });
      var fill = el("span", { class: "dw-bar-fill" });
      track.appendChild(fill);
      var value = el("span", { class: "dw-bar-value" }, "–");
      item.append(name, track, value);
      list.appendChild(item);
      this.bars.push({ item: item, fill: fill, value: value });
    }
    chart.appendChild(list);
    this.status = el("p", { class: "dw-status", role: "status", "aria-live": "polite" });
    this.sampleNote = el("p", { class: "dw-note" });
    var results = el("div", { class: "dw-results" });
    results.append(seen, chart);
    root.append(pad, results, this.status, this.sampleNote);

    this.clear();
    this.attachPointer();
    this.clearButton.addEventListener("click", function () { self.clear(); });
    this.sampleButton.addEventListener("click", function () { self.nextSample(); });
    this.select.addEventListener("change", function () { self.update(true); });
    if (!manifest.samples.length) this.sampleButton.disabled = true;
  };

  Widget.prototype.attachPointer = function () {
    var self = this, c = this.canvas, drawing = null;
    function point(e) {
      var r = c.getBoundingClientRect();
      return [(e.clientX - r.left) * c.width / r.width, (e.clientY - r.top) * c.height / r.height];
    }
    // Touch and pen arrive as the same pointer events as the mouse. The page does not scroll
    // under a finger (touch-action: none in digit-widget.css), the stroke follows a pointer
    // that leaves the area (pointer capture), and while one pointer draws, others are ignored
    // (a second finger, a palm resting on a tablet).
    c.addEventListener("pointerdown", function (e) {
      if (drawing || e.button !== 0) return;
      e.preventDefault();
      if (self.source !== "drawing") self.clear();
      try { c.setPointerCapture(e.pointerId); } catch (err) { /* a pointer already gone: draw anyway */ }
      drawing = { id: e.pointerId, last: point(e) };
      self.ctx.beginPath();
      self.ctx.arc(drawing.last[0], drawing.last[1], PEN_WIDTH / 2, 0, 2 * Math.PI);
      self.ctx.fill();
      self.schedule();
    });
    c.addEventListener("pointermove", function (e) {
      if (!drawing || e.pointerId !== drawing.id) return;
      var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      if (!events.length) events = [e];
      self.ctx.beginPath();
      self.ctx.moveTo(drawing.last[0], drawing.last[1]);
      events.forEach(function (ev) { drawing.last = point(ev); self.ctx.lineTo(drawing.last[0], drawing.last[1]); });
      self.ctx.stroke();
      self.schedule();
    });
    function end(e) {
      if (!drawing || e.pointerId !== drawing.id) return;
      drawing = null;
      self.strokes++;
      self.update(true);
    }
    // The stroke ends when the pointer lifts, when the browser cancels it (a system gesture)
    // or when the area loses the pointer's capture: what was drawn so far is read.
    c.addEventListener("pointerup", end);
    c.addEventListener("pointercancel", end);
    c.addEventListener("lostpointercapture", end);
  };

  Widget.prototype.clear = function () {
    var ctx = this.ctx;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, CANVAS_SIDE, CANVAS_SIDE);
    ctx.fillStyle = "#111111";
    ctx.strokeStyle = "#111111";
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    this.source = "drawing";
    this.strokes = 0;
    this.sampleNote.textContent = "";
    this.update(true);
  };

  Widget.prototype.nextSample = function () {
    var self = this, samples = this.manifest.samples;
    this.sampleIndex = (this.sampleIndex + 1) % samples.length;
    var sample = samples[this.sampleIndex];
    return loadImage(this.base + sample.file).then(function (img) {
      var data = pictureData(img, img.naturalWidth, img.naturalHeight);
      self.clear();
      var scale = Math.min(CANVAS_SIDE / img.naturalWidth, CANVAS_SIDE / img.naturalHeight);
      var w = img.naturalWidth * scale, h = img.naturalHeight * scale;
      var corner = data.data;  // fill around the picture with its own paper colour
      self.ctx.fillStyle = "rgb(" + corner[0] + "," + corner[1] + "," + corner[2] + ")";
      self.ctx.fillRect(0, 0, CANVAS_SIDE, CANVAS_SIDE);
      self.ctx.drawImage(img, (CANVAS_SIDE - w) / 2, (CANVAS_SIDE - h) / 2, w, h);
      self.ctx.fillStyle = "#111111";
      self.source = data;
      self.sampleNote.textContent = "Sample " + sample.file.split("/").pop() + " (a " + sample.label +
        ", from chapter 9). Draw in the area to start your own digit.";
      self.update(true);
    });
  };

  Widget.prototype.network = function () {
    var self = this, name = this.select.value;
    if (!this.networks[name]) {
      var entry = this.manifest.networks.filter(function (n) { return n.name === name; })[0];
      this.networks[name] = loadNetwork(this.base, entry.header);
    }
    return this.networks[name].then(function (n) { return n; }, function (error) {
      delete self.networks[name];
      throw error;
    });
  };

  Widget.prototype.schedule = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(function () { self.pending = false; self.update(false); });
  };

  Widget.prototype.show = function (pixels, probs) {
    var img = this.previewCtx.createImageData(SIZE, SIZE);
    for (var p = 0; p < SIZE * SIZE; p++) {
      var v = pixels ? Math.round(255 * (1 - pixels[p])) : 255;  // ink dark on light, as the book's figures
      img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = v;
      img.data[4 * p + 3] = 255;
    }
    this.previewCtx.putImageData(img, 0, 0);
    var best = probs ? probs.indexOf(Math.max.apply(null, probs)) : -1;
    this.bars.forEach(function (bar, d) {
      var v = probs ? probs[d] : 0;
      bar.fill.style.width = (100 * v).toFixed(1) + "%";
      bar.value.textContent = probs ? (100 * v).toFixed(1) + " %" : "–";
      bar.item.classList.toggle("dw-best", d === best);
    });
  };

  /** Preprocess what is shown, run the network, draw the bars; `announce` also updates the
      live region (at the end of a stroke, not at every pointer move). */
  Widget.prototype.update = function (announce) {
    var self = this;
    var data = this.source === "drawing" ? this.ctx.getImageData(0, 0, CANVAS_SIDE, CANVAS_SIDE) : this.source;
    var start = performance.now();
    var prepared = preprocess(data);
    if (!prepared.error && this.source === "drawing" &&
        Math.max(prepared.box.bottom - prepared.box.top, prepared.box.right - prepared.box.left) < MIN_INK_SIDE) {
      prepared = { error: "That is only a dot: draw a whole digit that fills most of the area." };
    }
    if (prepared.error) {
      this.result = null;
      this.show(null, null);
      if (announce) this.say(prepared.error);
      return Promise.resolve(null);
    }
    var token = this.token = {};
    return this.network().then(function (net) {
      if (token !== self.token) return null;  // a newer drawing has arrived meanwhile
      var t0 = performance.now();
      var probs = forward(net, prepared.pixels);
      var end = performance.now();
      self.timing = { preprocessMs: t0 - start, forwardMs: end - t0 };
      var digit = probs.indexOf(Math.max.apply(null, probs));
      self.result = { digit: digit, probability: probs[digit], probs: probs, pixels: prepared.pixels };
      self.show(prepared.pixels, probs);
      if (announce) {
        self.say("The network reads a " + digit + ", with probability " + (100 * probs[digit]).toFixed(1) +
          " % (" + self.select.options[self.select.selectedIndex].text + ").");
      }
      return self.result;
    }, function (error) {
      self.say("The network could not be loaded: " + error.message + ".");
      return null;
    });
  };

  Widget.prototype.say = function (text) {
    this.status.textContent = text;
  };

  function start(root) {
    var widget = new Widget(root);
    root.digitWidget = widget;
    widget.ready = fetch(widget.base + "digit-widget-manifest.json").then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (manifest) {
      if (!manifest.networks.length) {
        root.textContent = "";
        root.appendChild(el("p", { class: "dw-missing" },
          "This build of the book has no trained network to run: the models are trained when the " +
          "chapters execute (chapters 5 and 7), and this page was built without them. Build the " +
          "book with `make book` to see the widget here."));
        return widget;
      }
      widget.build(manifest);
      return widget;
    }, function (error) {
      root.textContent = "";
      root.appendChild(el("p", { class: "dw-missing" },
        "The widget's files are missing from this build (" + error.message + "), so it cannot run here."));
      return widget;
    });
  }

  window.digitWidget = {
    forward: forward, loadNetwork: loadNetwork, preprocess: preprocess, grayscale: grayscale,
    pictureData: pictureData, loadImage: loadImage,
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".digit-widget"), start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
