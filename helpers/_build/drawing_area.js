/* The notebook drawing area of helpers.canvas.drawing_area (chapter 9): a round pen on white
   paper, Clear and Download PNG buttons, and in Colab the model's answer after each stroke.
   helpers.canvas calls cnnBookDrawingArea(root element, callback name, side, pen width) after it.
   The pen and the dot rule are those of the book's draw-a-digit page (_static/digit-widget.js). */
function cnnBookDrawingArea(root, name, side, penWidth) {
  var pad = root.querySelector(".cb-pad"), ctx = pad.getContext("2d", { willReadFrequently: true });
  var seen = root.querySelector(".cb-seen"), status = root.querySelector(".cb-status");
  var probs = root.querySelector(".cb-probs"), drawing = null, token = 0;
  var colab = window.google && google.colab && google.colab.kernel && google.colab.kernel.invokeFunction;
  function say(text) { status.textContent = text; }
  function clear() {
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, side, side);
    ctx.fillStyle = ctx.strokeStyle = "#111111"; ctx.lineWidth = penWidth;
    ctx.lineCap = ctx.lineJoin = "round";
    seen.hidden = true; probs.textContent = ""; token++;
    say(colab ? "Draw one digit, 0 to 9: the model in this notebook reads it when you lift the pen."
              : "No Python kernel answers this drawing area here (in Colab one does). To have your digit " +
                "read, draw it, press Download PNG, put the file in the folder my_digits next to the " +
                "notebook and run the cell that reads that folder.");
  }
  function show(answer) {
    say(answer.message);
    var view = seen.getContext("2d"), img = view.createImageData(28, 28);
    for (var p = 0; p < 784; p++) {
      var v = answer.pixels ? Math.round(255 * (1 - answer.pixels[p])) : 255;
      img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = v; img.data[4 * p + 3] = 255;
    }
    view.putImageData(img, 0, 0);
    seen.hidden = !answer.pixels;
    probs.textContent = answer.probabilities ? answer.probabilities.map(function (q, d) {
      return d + ": " + (100 * q).toFixed(1) + " %";
    }).join(", ") : "";
  }
  function send() {
    if (!colab) return;
    var mine = ++token;
    say("Reading...");
    google.colab.kernel.invokeFunction(name, [pad.toDataURL("image/png")], {}).then(function (result) {
      if (mine === token) show(result.data["application/json"]);
    }, function (error) { if (mine === token) say("The kernel could not read the drawing: " + error); });
  }
  function point(e) {
    var r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * side / r.width, (e.clientY - r.top) * side / r.height];
  }
  pad.addEventListener("pointerdown", function (e) {
    if (drawing || e.button !== 0) return;  // one pointer at a time: a resting palm does not draw
    e.preventDefault();
    try { pad.setPointerCapture(e.pointerId); } catch (err) { /* the pointer is already gone */ }
    drawing = { id: e.pointerId, last: point(e) };
    ctx.beginPath(); ctx.arc(drawing.last[0], drawing.last[1], penWidth / 2, 0, 2 * Math.PI); ctx.fill();
  });
  pad.addEventListener("pointermove", function (e) {
    if (!drawing || e.pointerId !== drawing.id) return;
    var events = (e.getCoalescedEvents && e.getCoalescedEvents().length) ? e.getCoalescedEvents() : [e];
    ctx.beginPath(); ctx.moveTo(drawing.last[0], drawing.last[1]);
    events.forEach(function (ev) { drawing.last = point(ev); ctx.lineTo(drawing.last[0], drawing.last[1]); });
    ctx.stroke();
  });
  function end(e) {
    if (!drawing || e.pointerId !== drawing.id) return;
    drawing = null;
    send();
  }
  ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (t) { pad.addEventListener(t, end); });
  root.querySelector(".cb-clear").addEventListener("click", clear);
  root.querySelector(".cb-download").addEventListener("click", function () {
    var link = document.createElement("a");
    link.href = pad.toDataURL("image/png"); link.download = "drawing.png";
    document.body.appendChild(link); link.click(); link.remove();
  });
  clear();
}
