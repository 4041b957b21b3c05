/* Draw a digit: the book's trained networks, run in the reader's browser.

   Plain JavaScript, no library and no network request beyond this book's own files. Three
   parts, each the JavaScript twin of Python the book explains:

   1. The forward pass (chapter 1 computes every operation by hand, chapter 4 stacks them):
      convolution, ReLU, max pooling, flatten, dense, softmax, plus batch normalisation as a
      per-channel affine map where the exporter could not fold it (helpers/export.py).
   2. The preprocessing of chapter 9 (helpers/digits.py, `preprocess_digit`): grayscale, ink
      on black, crop to the ink, a 20x20 box keeping the aspect ratio, centre of mass at
      (14, 14) of a 28x28 field, values in [0, 1].
   3. Inside the network: every convolution's and pooling's output as one tile a channel, the
      flattened vector and the hidden dense layer, each on one colour scale said in a legend.
   4. The blind band: the input pixels the article's network never reads (exported by the
      build from chapter 8's gradient mask) over the 28x28 view, and buttons that move it.
   5. The widget: a drawing area (pointer events: mouse, touch and pen), the 28x28 image the
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
      case "activation":  // a copy, so the layer before keeps its own output (the page shows it)
        return activate(tensor(t.h, t.w, t.c, Float32Array.from(t.data)), layer.activation);
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

  /** Every layer's output for one 28x28 image (784 values in [0, 1], row by row): a list of
      tensors, one per exported layer, in order; the last one holds the 10 probabilities. */
  function forwardLayers(network, pixels) {
    var t = tensor(28, 28, 1, Float32Array.from(pixels));
    return network.header.layers.map(function (layer, index) {
      t = runLayer(layer, network.weights[index], t);
      return t;
    });
  }

  /** A network's 10 probabilities for one 28x28 image. */
  function forward(network, pixels) {
    var outs = forwardLayers(network, pixels);
    return Array.from(outs[outs.length - 1].data);
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
    var h = ink.h, w = ink.w, d = ink.data, inked = new Uint8Array(d.length), column = new Uint8Array(w);
    for (var p = 0; p < d.length; p++) inked[p] = d[p] > 0 ? 1 : 0;
    function box(useMedian) {
      var top = h, bottom = -1, left = w, right = -1;
      for (var y = 0; y < h; y++) {
        if (useMedian) {  // ink pixels in each column of rows y-1, y, y+1 (edges repeated)
          var above = Math.max(y - 1, 0) * w, here = y * w, below = Math.min(y + 1, h - 1) * w;
          for (var c = 0; c < w; c++) column[c] = inked[above + c] + inked[here + c] + inked[below + c];
        }
        for (var x = 0; x < w; x++) {
          var on = useMedian
            ? column[x > 0 ? x - 1 : 0] + column[x] + column[x < w - 1 ? x + 1 : w - 1] >= 5
            : inked[y * w + x] === 1;
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
  // 3. Inside the network: every layer's output for the drawing, as small pictures.
  //    A LayerView shows one network: a tile per channel for each convolution and each
  //    pooling (one colour scale per layer, said in its legend), strips for the flattened
  //    vector and the hidden dense layer, a panel with one tile at full size and its filter's
  //    3x3 weights, and a text summary for screen readers.
  // ---------------------------------------------------------------------------------------

  var TILE_TYPES = { conv2d: true, max_pool2d: true };
  var STRIP_COLUMNS = 32;  // a vector of n values is drawn in rows of 32 cells (64 for a long one)
  var TILE_GAP = 1;  // grey pixels between two tiles of a layer's canvas
  var TILE_PX = 46;  // the widest a tile is shown, in CSS pixels (narrower on a phone)

  /** Colour of value v on a layer's scale: white at 0, dark blue at the layer's largest value;
      a layer with negative values (a convolution without ReLU) gets red below 0. */
  function colourOf(v, scale) {
    var t = scale.max > 0 ? v / scale.max : 0;
    if (t >= 0) {
      t = Math.min(t, 1);
      return [255 - 247 * t, 255 - 207 * t, 255 - 148 * t];  // white -> #08306b
    }
    t = scale.min < 0 ? Math.min(v / scale.min, 1) : 0;
    return [255 - 152 * t, 255 - 255 * t, 255 - 242 * t];  // white -> #67000d
  }

  /** The shared scale of one layer's output: its smallest and largest value. */
  function layerScale(data) {
    var min = 0, max = 0;
    for (var p = 0; p < data.length; p++) {
      if (data[p] > max) max = data[p];
      else if (data[p] < min) min = data[p];
    }
    return { min: min, max: max };
  }

  /** The two colour ramps as 256 packed RGBA pixels each (for a Uint32Array view of an
      ImageData, little-endian as every browser is): index 0 is white, 255 the ramp's end. */
  var RAMP_STEPS = 255;
  function packed(rgb) {
    return ((255 << 24) | (Math.round(rgb[2]) << 16) | (Math.round(rgb[1]) << 8) | Math.round(rgb[0])) >>> 0;
  }
  var POSITIVE = new Uint32Array(RAMP_STEPS + 1), NEGATIVE = new Uint32Array(RAMP_STEPS + 1);
  for (var step = 0; step <= RAMP_STEPS; step++) {
    POSITIVE[step] = packed(colourOf(step / RAMP_STEPS, { min: -1, max: 1 }));
    NEGATIVE[step] = packed(colourOf(-step / RAMP_STEPS, { min: -1, max: 1 }));
  }
  var GAP_COLOUR = packed([200, 200, 200]);

  /** The packed colour of v on a layer's scale, from the tables (no allocation a pixel). */
  function packedColour(v, scale) {
    if (v >= 0) return scale.max > 0 ? POSITIVE[Math.min(RAMP_STEPS, (v / scale.max * RAMP_STEPS + 0.5) | 0)] : POSITIVE[0];
    return NEGATIVE[Math.min(RAMP_STEPS, (v / scale.min * RAMP_STEPS + 0.5) | 0)];
  }

  /** Paint channel k of a channels-last tensor into `pixels` (a Uint32Array view of an
      ImageData `stride` pixels wide), with its top-left corner at (x0, y0). */
  function paintChannel(pixels, stride, x0, y0, t, k, scale) {
    var d = t.data, c = t.c;
    for (var y = 0; y < t.h; y++) {
      var row = (y0 + y) * stride + x0, src = y * t.w * c + k;
      for (var x = 0; x < t.w; x++) pixels[row + x] = packedColour(d[src + x * c], scale);
    }
  }

  /** Paint a vector as rows of cells, grey after its end. */
  function paintVector(pixels, data, scale) {
    for (var p = 0; p < pixels.length; p++) pixels[p] = p < data.length ? packedColour(data[p], scale) : GAP_COLOUR;
  }

  /** The channels with the largest values in a layer's output: [[channel, value], ...]. */
  function strongest(t, count) {
    var best = new Float64Array(t.c).fill(-Infinity);
    for (var p = 0; p < t.data.length; p++) {
      var k = p % t.c;
      if (t.data[p] > best[k]) best[k] = t.data[p];
    }
    var order = Array.from(best.keys()).sort(function (a, b) { return best[b] - best[a]; });
    return order.slice(0, count).map(function (k) { return [k, best[k]]; });
  }

  /** What a layer computes, in a line, from its exported header entry. */
  function describeLayer(layer, index, layers) {
    var s = layer.output_shape.join(" × ");
    if (layer.type === "conv2d") {
      var k = layer.weights.kernel.shape;
      return "Convolution: " + k[3] + " filters of " + k[0] + " × " + k[1] + " × " + k[2] +
        " weights slide over the map before it, " + (layer.padding === "same" ? "zero-padded (\"same\")" : "\"valid\"") +
        (layer.activation === "relu" ? ", then ReLU" : ", no ReLU yet (batch normalisation and ReLU come after the pooling)") +
        ": " + s + ".";
    }
    if (layer.type === "max_pool2d") {
      return "Max pooling: the largest value of each " + layer.pool_size.join(" × ") + " window of each channel: " + s +
        (index + 1 < layers.length && layers[index + 1].type === "affine" ? " (batch normalisation and ReLU follow)." : ".");
    }
    if (layer.type === "flatten") return "Flatten: the last maps as one vector of " + s + " numbers, in Keras's channels-last order.";
    if (layer.type === "dense") return "Dense layer: " + s + " weighted sums of the whole vector before it, then " +
      (layer.activation === "relu" ? "ReLU." : layer.activation + ".");
    return "";
  }

  /** The convolution whose filter made channel k of layer `index` (itself, or the last one before a pooling). */
  function filterLayer(layers, index) {
    for (var i = index; i >= 0; i--) if (layers[i].type === "conv2d") return i;
    return -1;
  }

  function LayerView(net, container, onPick) {
    this.net = net;
    this.layers = net.header.layers;
    this.root = el("div", { class: "dw-layers" });
    this.views = [];
    this.onPick = onPick;
    var self = this;
    this.layers.forEach(function (layer, index) {
      if (TILE_TYPES[layer.type]) self.views.push(self.tileSection(layer, index));
      else if (layer.type === "flatten" || (layer.type === "dense" && layer.activation !== "softmax")) {
        self.views.push(self.stripSection(layer, index));
      }
    });
    container.appendChild(this.root);
  }

  /** A section's heading, what the layer computes and its legend (the colour scale). */
  LayerView.prototype.section = function (layer, index) {
    var section = el("section", { class: "dw-layer", "aria-label": layer.name });
    section.appendChild(el("h3", { class: "dw-layer-title" }, layer.name));
    section.appendChild(el("p", { class: "dw-layer-what" }, describeLayer(layer, index, this.layers)));
    var legend = el("p", { class: "dw-legend" });
    var ramp = el("span", { class: "dw-ramp", "aria-hidden": "true" });
    var text = el("span", { class: "dw-legend-text" }, "");
    legend.append(ramp, text);
    section.appendChild(legend);
    this.root.appendChild(section);
    return { section: section, ramp: ramp, legendText: text, layer: layer, index: index };
  };

  /** All channels of a layer in one canvas (one putImageData a layer and a redraw), as a grid
      of `columns` tiles with a one-pixel grey gap; over it, one transparent button a tile, in
      the same grid. One tile is in the Tab order; the arrow keys move between tiles (a roving
      tabindex), Enter or Space opens the tile. */
  LayerView.prototype.tileSection = function (layer, index) {
    var view = this.section(layer, index), self = this;
    var shape = layer.output_shape, channels = shape[2];
    var columns = Math.min(channels, channels > 64 ? 16 : 8), rows = Math.ceil(channels / columns);
    var cellW = shape[1] + TILE_GAP, cellH = shape[0] + TILE_GAP;
    var grid = el("div", { class: "dw-tiles" });
    grid.style.aspectRatio = columns * cellW + " / " + rows * cellH;
    grid.style.maxWidth = columns * TILE_PX + "px";
    var canvas = el("canvas", { class: "dw-tiles-map", width: columns * cellW, height: rows * cellH, "aria-hidden": "true" });
    var buttons = el("div", { class: "dw-tile-buttons", role: "group", "aria-label": layer.name + ": one tile a channel" });
    buttons.style.gridTemplateColumns = "repeat(" + columns + ", 1fr)";
    buttons.style.gridTemplateRows = "repeat(" + rows + ", 1fr)";
    view.tiles = [];
    for (var k = 0; k < channels; k++) {
      var tile = el("button", { type: "button", class: "dw-tile", tabindex: k === 0 ? "0" : "-1",
        "aria-label": layer.name + " channel " + k + ": show it at full size with its filter" });
      buttons.appendChild(tile);
      view.tiles.push({ button: tile });
      tile.addEventListener("click", this.pick.bind(this, view, k));
    }
    var img = new ImageData(columns * cellW, rows * cellH);
    view.grid = { ctx: canvas.getContext("2d"), img: img, pixels: new Uint32Array(img.data.buffer),
      columns: columns, cellW: cellW, cellH: cellH };
    view.grid.pixels.fill(GAP_COLOUR);
    buttons.addEventListener("keydown", function (e) { self.roveKey(view, e); });
    grid.append(canvas, buttons);
    view.section.appendChild(grid);
    return view;
  };

  LayerView.prototype.roveKey = function (view, e) {
    var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    var n = view.tiles.length, now = view.tiles.findIndex(function (t) { return t.button === document.activeElement; });
    if (now < 0) return;
    var next = step ? now + step : e.key === "Home" ? 0 : e.key === "End" ? n - 1 : null;
    if (next === null) return;
    e.preventDefault();
    next = (next + n) % n;
    view.tiles[now].button.tabIndex = -1;
    view.tiles[next].button.tabIndex = 0;
    view.tiles[next].button.focus();
  };

  /** A vector drawn as rows of STRIP_COLUMNS cells (twice as many when it is long). */
  LayerView.prototype.stripSection = function (layer, index) {
    var view = this.section(layer, index);
    var n = layer.output_shape.reduce(function (a, b) { return a * b; }, 1);
    var columns = n > 256 ? 2 * STRIP_COLUMNS : STRIP_COLUMNS, rows = Math.ceil(n / columns);
    var canvas = el("canvas", { class: "dw-strip", width: columns, height: rows, role: "img",
      "aria-label": layer.name + ": " + n + " numbers as rows of " + columns + " cells" });
    canvas.style.aspectRatio = columns + " / " + rows;
    view.section.appendChild(canvas);
    var img = new ImageData(columns, rows);
    view.strip = { ctx: canvas.getContext("2d"), img: img, pixels: new Uint32Array(img.data.buffer) };
    return view;
  };

  /** Draw every view for one drawing's layer outputs (null: nothing drawn yet): per layer one
      pass over its values for the scale, one to paint them, and one putImageData. */
  LayerView.prototype.render = function (outs) {
    this.outs = outs;
    for (var v = 0; v < this.views.length; v++) {
      var view = this.views[v], t = outs ? outs[view.index] : null;
      var scale = t ? layerScale(t.data) : { min: 0, max: 0 };
      view.scale = scale;
      this.legend(view, scale);
      var target = view.grid || view.strip;
      if (view.grid) {
        var g = view.grid;
        for (var k = 0; k < view.tiles.length; k++) {
          var x0 = (k % g.columns) * g.cellW, y0 = Math.floor(k / g.columns) * g.cellH;
          if (t) paintChannel(g.pixels, g.img.width, x0, y0, t, k, scale);
          else for (var y = 0; y < g.cellH - TILE_GAP; y++) g.pixels.fill(POSITIVE[0], (y0 + y) * g.img.width + x0, (y0 + y) * g.img.width + x0 + g.cellW - TILE_GAP);
        }
      } else if (t) {
        paintVector(view.strip.pixels, t.data, scale);
      } else {
        view.strip.pixels.fill(POSITIVE[0]);
      }
      target.ctx.putImageData(target.img, 0, 0);
    }
    if (this.picked) this.showPicked();
  };

  LayerView.prototype.legend = function (view, scale) {
    var neg = scale.min < 0;
    view.ramp.className = "dw-ramp" + (neg ? " dw-ramp-diverging" : "");
    var text = !this.outs ? "Colour scale: draw a digit to fill it." : neg
      ? "One colour scale for the whole layer: red " + scale.min.toFixed(2) + ", white 0, blue " + scale.max.toFixed(2) + "."
      : "One colour scale for the whole layer: white 0 to dark blue " + scale.max.toFixed(2) + " (its largest value).";
    if (view.legendText.textContent !== text) view.legendText.textContent = text;  // no layout when unchanged
  };

  /** Show tile k of a view at full size, with the 3x3 weights of the filter that made it. */
  LayerView.prototype.pick = function (view, k) {
    this.picked = { view: view, k: k };
    this.showPicked();
    if (this.onPick) this.onPick();
  };

  LayerView.prototype.showPicked = function () {
    var view = this.picked.view, k = this.picked.k, layer = view.layer, detail = this.detail;
    if (!detail) return;
    var shape = layer.output_shape;
    detail.title.textContent = layer.name + ", channel " + k + " (" + shape[0] + " × " + shape[1] + ")";
    detail.canvas.width = shape[1]; detail.canvas.height = shape[0];
    var img = new ImageData(shape[1], shape[0]);
    if (this.outs) paintChannel(new Uint32Array(img.data.buffer), shape[1], 0, 0, this.outs[view.index], k, view.scale);
    else img.data.fill(255);
    detail.canvas.getContext("2d").putImageData(img, 0, 0);
    detail.canvas.setAttribute("aria-label", "Channel " + k + " of " + layer.name + " at full size");
    this.showWeights(view.index, k);
  };

  /** The 3x3 weights of filter k of the convolution at or before layer `index`. For a filter
      reading many channels, the 3x3 slice of the input channel with the largest weights. */
  LayerView.prototype.showWeights = function (index, k) {
    var ci = filterLayer(this.layers, index), detail = this.detail;
    var conv = this.layers[ci], w = this.net.weights[ci], ks = conv.weights.kernel.shape;  // [rows, cols, in, filters]
    var cin = ks[2], filters = ks[3], bestIn = 0, bestSum = -1;
    for (var c = 0; c < cin; c++) {
      var sum = 0;
      for (var i = 0; i < ks[0] * ks[1]; i++) sum += Math.abs(w.kernel[(i * cin + c) * filters + k]);
      if (sum > bestSum) { bestSum = sum; bestIn = c; }
    }
    var values = [], limit = 0;
    for (var r = 0; r < ks[0]; r++) {
      var row = [];
      for (var q = 0; q < ks[1]; q++) {
        var v = w.kernel[((r * ks[1] + q) * cin + bestIn) * filters + k];
        row.push(v); limit = Math.max(limit, Math.abs(v));
      }
      values.push(row);
    }
    var from = ci === index ? "" : "A pooling has no weights: this channel is the pooled channel " + k + " of " + conv.name + ". ";
    detail.note.textContent = from + "Filter " + k + " of " + conv.name + (cin > 1
      ? " has " + ks[0] + " × " + ks[1] + " × " + cin + " weights; shown: its 3 × 3 slice for input channel " + bestIn +
        ", the one with the largest weights" : "") + "; its bias is " + w.bias[k].toFixed(3) + ".";
    var body = detail.table.tBodies[0];
    body.textContent = "";
    values.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (v) {
        var rgb = colourOf(v, { min: -limit, max: limit });
        var td = el("td", {}, v.toFixed(3));
        td.style.background = "rgb(" + rgb.map(Math.round).join(",") + ")";
        td.style.color = Math.abs(v) > 0.6 * limit ? "#ffffff" : "#111111";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  };

  /** One sentence a layer: its strongest channels (for the live region). */
  LayerView.prototype.summary = function () {
    var outs = this.outs, self = this;
    if (!outs) return "";
    return this.views.map(function (view) {
      var t = outs[view.index];
      if (view.tiles) {
        return view.layer.name + ": strongest channels " + strongest(t, 3).map(function (s) {
          return s[0] + " (" + s[1].toFixed(2) + ")";
        }).join(", ") + ".";
      }
      var flat = tensor(1, 1, t.data.length, t.data), top = strongest(flat, 3);
      return view.layer.name + ": largest of " + t.data.length + " values at positions " + top.map(function (s) {
        return s[0] + " (" + s[1].toFixed(2) + ")";
      }).join(", ") + ".";
    }).join(" ") + (self.layers.length ? "" : "");
  };

  // ---------------------------------------------------------------------------------------
  // 4. The blind band: the input pixels a network never reads, and moving the drawing.
  // ---------------------------------------------------------------------------------------

  /** The exported mask (header.input_seen: 28 strings of "1" seen / "0" never read) as a
      Uint8Array of 784, or null when the build had no MNIST to measure it on. */
  function seenMask(header) {
    var seen = header.input_seen;
    if (!seen || !seen.rows) return null;
    return Uint8Array.from(seen.rows.join(""), function (ch) { return ch === "1" ? 1 : 0; });
  }

  /** The first row and column the mask never reads, and how many pixels it never reads. */
  function bandOf(mask) {
    var unseen = 0, firstRow = SIZE, firstCol = SIZE;
    for (var p = 0; p < SIZE * SIZE; p++) {
      if (mask[p]) continue;
      unseen++;
      firstRow = Math.min(firstRow, Math.floor(p / SIZE));
      firstCol = Math.min(firstCol, p % SIZE);
    }
    return { unseen: unseen, firstRow: firstRow, firstCol: firstCol };
  }

  /** The 28x28 image moved by dx columns right and dy rows down; what leaves the field is lost. */
  function shiftPixels(pixels, dx, dy) {
    if (!dx && !dy) return pixels;
    var out = new Float32Array(SIZE * SIZE);
    for (var y = 0; y < SIZE; y++) {
      var sy = y - dy;
      if (sy < 0 || sy >= SIZE) continue;
      for (var x = 0; x < SIZE; x++) {
        var sx = x - dx;
        if (sx >= 0 && sx < SIZE) out[y * SIZE + x] = pixels[sy * SIZE + sx];
      }
    }
    return out;
  }

  /** Whether two 28x28 images are the same, pixel for pixel. */
  function samePixels(a, b) {
    for (var p = 0; p < SIZE * SIZE; p++) if (a[p] !== b[p]) return false;
    return true;
  }

  /** The share of an image's ink on the pixels a mask never reads. */
  function inkShareUnseen(pixels, mask) {
    var all = 0, hidden = 0;
    for (var p = 0; p < SIZE * SIZE; p++) { all += pixels[p]; if (!mask[p]) hidden += pixels[p]; }
    return all > 0 ? hidden / all : 0;
  }

  // ---------------------------------------------------------------------------------------
  // 5. The widget.
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
    this.timings = [];  // the last redraw times (ms), read by benchmarks/bench_widget_redraw.py
    this.shift = [0, 0];  // columns right, rows down: applied after the preprocessing
    this.views = {};  // a LayerView per network name, made when the network is first shown
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
    this.overlay = el("canvas", { class: "dw-overlay", width: 10 * SIZE, height: 10 * SIZE, "aria-hidden": "true" });
    var stack = el("div", { class: "dw-preview-stack" });
    stack.append(this.preview, this.overlay);
    this.bandCaption = el("span", { class: "dw-band-caption" });
    var caption = el("figcaption", {}, "What the network sees: 28 × 28 pixels. ");
    caption.appendChild(this.bandCaption);
    seen.append(stack, caption);

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
    root.append(pad, results, this.status, this.sampleNote, this.buildBand(), this.buildInside());

    this.clear();
    this.attachPointer();
    this.clearButton.addEventListener("click", function () { self.clear(); });
    this.sampleButton.addEventListener("click", function () { self.nextSample(); });
    this.select.addEventListener("change", function () { self.update(true); });
    this.loadBand();
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
    this.setShift(0, 0);
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

  Widget.prototype.network = function (which) {
    var self = this, name = which || this.select.value;
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
      this.drawn = null;
      this.show(null, null);
      var shown = this.views[this.select.value];
      if (shown) shown.render(null);
      if (announce) {
        this.say(prepared.error);
        this.summaryText.textContent = "";
        this.compareText.textContent = "";
      }
      return Promise.resolve(null);
    }
    var token = this.token = {};
    var pixels = shiftPixels(prepared.pixels, this.shift[0], this.shift[1]);
    return this.network().then(function (net) {
      if (token !== self.token) return null;  // a newer drawing has arrived meanwhile
      var drawn = self.drawn;
      if (!announce && drawn && drawn.net === net && samePixels(drawn.pixels, pixels)) {
        return self.result;  // a pointer move that changed nothing the network sees: nothing to redraw
      }
      var t0 = performance.now();
      var outs = forwardLayers(net, pixels);
      var probs = Array.from(outs[outs.length - 1].data);
      var t1 = performance.now();
      self.show(pixels, probs);
      var view = self.viewFor(net);
      view.render(outs);
      var end = performance.now();
      self.timing = { preprocessMs: t0 - start, forwardMs: t1 - t0, renderMs: end - t1, totalMs: end - start };
      self.timings.push(self.timing);
      if (self.timings.length > 1000) self.timings.shift();
      var digit = probs.indexOf(Math.max.apply(null, probs));
      self.result = { digit: digit, probability: probs[digit], probs: probs, pixels: pixels };
      self.drawn = { net: net, pixels: pixels };
      if (announce) {
        self.say("The network reads a " + digit + ", with probability " + (100 * probs[digit]).toFixed(1) +
          " % (" + self.select.options[self.select.selectedIndex].text + ").");
        self.summaryText.textContent = "In words: " + view.summary() + " Answer: " + digit + ".";
        return self.compare(pixels).then(function () { return self.result; });
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

  /** The section on the blind band: what the overlay shows, the shift buttons, both answers. */
  Widget.prototype.buildBand = function () {
    var self = this, box = el("section", { class: "dw-band", "aria-label": "Move the drawing into the blind band" });
    box.appendChild(el("h2", { class: "dw-heading" }, "Move the digit into the blind band"));
    this.bandText = el("p", { class: "dw-band-text" });
    var buttons = el("div", { class: "dw-controls dw-shift", role: "group", "aria-label": "Shift the drawing by one pixel" });
    [["←", "Shift left one pixel", -1, 0], ["→", "Shift right one pixel", 1, 0],
      ["↑", "Shift up one pixel", 0, -1], ["↓", "Shift down one pixel", 0, 1]].forEach(function (b) {
      var button = el("button", { type: "button", class: "dw-button", "aria-label": b[1] }, b[0] + " " + b[1].split(" ")[1]);
      button.addEventListener("click", function () { self.setShift(self.shift[0] + b[2], self.shift[1] + b[3]); self.update(true); });
      buttons.appendChild(button);
    });
    var reset = el("button", { type: "button", class: "dw-button" }, "Centre again");
    reset.addEventListener("click", function () { self.setShift(0, 0); self.update(true); });
    buttons.appendChild(reset);
    this.shiftText = el("p", { class: "dw-shift-text" });
    this.compareText = el("p", { class: "dw-compare", role: "status", "aria-live": "polite" });
    box.append(this.bandText, buttons, this.shiftText, this.compareText);
    return box;
  };

  Widget.prototype.setShift = function (dx, dy) {
    this.shift = [Math.max(-SIZE, Math.min(SIZE, dx)), Math.max(-SIZE, Math.min(SIZE, dy))];
    if (!this.shiftText) return;
    var h = this.shift[0], v = this.shift[1];
    this.shiftText.textContent = !h && !v ? "The drawing is where the preprocessing put it (centre of mass in the middle)."
      : "Moved " + Math.abs(h) + (h < 0 ? " left" : " right") + " and " + Math.abs(v) + (v < 0 ? " up" : " down") +
        " from where the preprocessing put it.";
  };

  /** Load the network that has a blind band (the article's) and draw the band over the preview. */
  Widget.prototype.loadBand = function () {
    var self = this, names = this.manifest.networks.map(function (n) { return n.name; });
    return Promise.all(names.map(function (n) { return self.network(n); })).then(function (nets) {
      self.allNets = nets;
      var blind = nets.filter(function (n) { var m = seenMask(n.header); return m && bandOf(m).unseen > 0; })[0];
      self.bandNet = blind || null;
      if (!blind) {
        self.bandText.textContent = "This build measured no blind band (it had no MNIST to measure it on, or " +
          "every network reads every pixel); the buttons still move the drawing.";
        return;
      }
      self.bandMask = seenMask(blind.header);
      var band = bandOf(self.bandMask), seenBy = blind.header.input_seen.images.toLocaleString("en");
      self.bandCaption.textContent = "Hatched: the " + band.unseen + " pixels " + blind.header.label.replace(/ \(.*/, "").toLowerCase() +
        " never reads.";
      self.bandText.textContent = "The hatched pixels of the small square, rows " + band.firstRow + "–27 and columns " +
        band.firstCol + "–27, are the " + band.unseen + " pixels where the gradient of " + blind.header.label.replace(/ \(.*/, "").toLowerCase() +
        "'s class scores is zero for all " + seenBy + " test digits the build looked at, as in chapter 8: ink there cannot " +
        "change its answer. Move the digit right or down one pixel at a time: the line below says how much of the ink " +
        "lies in the band and what each network reads.";
      self.drawBand();
    }, function () { /* the status line already says a network could not be loaded */ });
  };

  /** Grey, hatched squares over the preview's pixels that the band's network never reads. */
  Widget.prototype.drawBand = function () {
    var ctx = this.overlay.getContext("2d"), cell = this.overlay.width / SIZE;
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    if (!this.bandMask) return;
    ctx.fillStyle = "rgba(230, 120, 0, 0.28)";
    ctx.strokeStyle = "rgba(150, 60, 0, 0.8)";
    ctx.lineWidth = 2;
    for (var p = 0; p < SIZE * SIZE; p++) {
      if (this.bandMask[p]) continue;
      var x = (p % SIZE) * cell, y = Math.floor(p / SIZE) * cell;
      ctx.fillRect(x, y, cell, cell);
      ctx.beginPath(); ctx.moveTo(x, y + cell); ctx.lineTo(x + cell, y); ctx.stroke();
    }
  };

  /** Both networks' answers for the same (shifted) image, and how much ink is in the band. */
  Widget.prototype.compare = function (pixels) {
    var self = this;
    if (!this.allNets) return Promise.resolve();
    var parts = this.allNets.map(function (net) {
      var probs = forward(net, pixels), d = probs.indexOf(Math.max.apply(null, probs));
      return net.header.label + " reads a " + d + " (" + (100 * probs[d]).toFixed(1) + " %)";
    });
    var share = this.bandMask ? " " + (100 * inkShareUnseen(pixels, this.bandMask)).toFixed(0) +
      " % of the ink lies in the band." : "";
    self.compareText.textContent = parts.join("; ") + "." + share;
    return Promise.resolve();
  };

  /** The section "inside the network": the layers of the chosen network, and the tile panel. */
  Widget.prototype.buildInside = function () {
    var box = el("section", { class: "dw-inside", "aria-label": "Inside the network, layer by layer" });
    box.appendChild(el("h2", { class: "dw-heading" }, "Inside the network, layer by layer"));
    box.appendChild(el("p", {}, "Each tile is one channel of a layer's output for the image above, redrawn at every " +
      "stroke. Click a tile (or reach it with Tab, move with the arrow keys, press Enter) to see it at full size " +
      "with its filter's weights."));
    var detail = el("div", { class: "dw-detail" });
    var title = el("p", { class: "dw-detail-title" }, "No tile chosen yet.");
    var canvas = el("canvas", { class: "dw-detail-map", width: 1, height: 1, role: "img", "aria-label": "No tile chosen yet" });
    var table = el("table", { class: "dw-weights" });
    table.appendChild(el("caption", {}, "The filter's 3 × 3 weights (red negative, blue positive)"));
    table.appendChild(el("tbody"));
    var note = el("p", { class: "dw-detail-note" });
    detail.append(title, canvas, table, note);
    this.detail = { box: detail, title: title, canvas: canvas, table: table, note: note };
    this.layersBox = el("div", { class: "dw-layer-list" });
    this.summaryText = el("p", { class: "dw-summary", "aria-live": "polite" });
    box.append(detail, this.layersBox, this.summaryText);
    return box;
  };

  /** The LayerView of a network, made on first use; only the chosen one is shown. */
  Widget.prototype.viewFor = function (net) {
    var name = net.header.name, self = this;
    if (!this.views[name]) {
      this.views[name] = new LayerView(net, this.layersBox);
      this.views[name].detail = this.detail;
    }
    Object.keys(this.views).forEach(function (n) { self.views[n].root.hidden = n !== name; });
    return this.views[name];
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
    forward: forward, forwardLayers: forwardLayers, loadNetwork: loadNetwork, shiftPixels: shiftPixels, preprocess: preprocess, grayscale: grayscale,
    pictureData: pictureData, loadImage: loadImage,
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".digit-widget"), start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
