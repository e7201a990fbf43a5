/* Pelican's Markdown files for Decap CMS: a header of "Key: value" lines
   (read as Python-Markdown's meta extension reads it, like
   plugins/portal/read/header.py), a blank line, then the text.

   What the form did not change is written back byte for byte: every header
   line as it was (its spacing, its key's spelling, fields the form does not
   know, lines that continue a field), the blank line, the text, the line
   endings. The file's own lines travel inside the entry under SOURCE_KEY,
   which no form field shows. A changed field is written as "Key: value" in
   its old place; a new one goes where the reader's order puts it.

   Loaded by the editor's page (window.PortalPelicanFormat) and by the tests
   in Node (module.exports). */
(function (exports) {
  "use strict";

  var SOURCE_KEY = "_pelican_source";
  var BODY_KEY = "body";
  var FIELD_LINE = /^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$/;
  var CONTINUED_LINE = /^([ ]{4,}|\t)/;
  var YAML_START = /^-{3}(\s.*)?$/;
  var YAML_END = /^(-{3}|\.{3})(\s.*)?$/;

  /* A format for one set of fields: `fields` lists the form's header fields
     in the reader's order, as {name, list} (list: several values separated
     by commas, such as Tags). */
  function pelicanFormat(fields) {
    var byLowerName = {};
    fields.forEach(function (field, index) {
      byLowerName[field.name.toLowerCase()] = { name: field.name, list: !!field.list, order: index };
    });

    function fromFile(text) {
      // Lines keep their "\r": joined with "\n" again they are the file.
      var lines = text.split("\n");
      var bom = "";
      if (lines[0].charAt(0) === "\ufeff") {
        bom = "\ufeff";
        lines[0] = lines[0].slice(1);
      }
      var crlf = /\r$/.test(lines[0]);
      var index = 0;
      var opening = null;
      if (lines.length && YAML_START.test(bare(lines[0]))) {
        opening = lines[0];
        index = 1;
      }
      var header = [];
      for (; index < lines.length; index++) {
        var line = bare(lines[index]);
        if (!line.trim() || YAML_END.test(line)) break;
        var match = FIELD_LINE.exec(line);
        if (match) {
          header.push({ key: match[1], lines: [lines[index]], value: match[2].trim() });
        } else if (header.length && CONTINUED_LINE.test(line)) {
          var last = header[header.length - 1];
          last.lines.push(lines[index]);
          last.value += " " + line.trim();
        } else {
          break; // not a field: the header ends here, and this line is text
        }
      }
      var closing = null;
      var rest = lines.slice(index);
      if (index < lines.length && (!bare(lines[index]).trim() || YAML_END.test(bare(lines[index])))) {
        closing = lines[index];
        rest = lines.slice(index + 1);
      }
      var data = {};
      var seen = {};
      header.forEach(function (field) {
        var known = byLowerName[field.key.toLowerCase()];
        if (known && !seen[known.name]) {
          seen[known.name] = true;
          data[known.name] = known.list ? splitList(field.value) : field.value;
        }
      });
      data[BODY_KEY] = rest.join("\n");
      data[SOURCE_KEY] = {
        bom: bom, crlf: crlf, opening: opening, header: header, closing: closing,
        hasRest: rest.length > 0, finalNewline: /\n$/.test(text),
      };
      return data;
    }

    function toFile(data) {
      // A new file: a header, a blank line, the text, a final line break.
      var source = data[SOURCE_KEY] || {
        bom: "", crlf: false, opening: null, header: [], closing: "", hasRest: true,
        finalNewline: true,
      };
      var end = source.crlf ? "\r" : "";
      var written = {};
      // [order in the form, lines]: a new field goes after the last line
      // of a field that comes before it in the reader's order.
      var out = [];
      source.header.forEach(function (field) {
        var known = byLowerName[field.key.toLowerCase()];
        var order = known ? known.order : (out.length ? out[out.length - 1][0] : -1);
        if (!known || written[known.name]) {
          out.push([order, field.lines]); // not the form's to change: kept as it is
          return;
        }
        written[known.name] = true;
        var now = headerText(known, data[known.name]);
        if (now === "") return; // emptied in the form: the line goes
        var before = headerText(known, known.list ? splitList(field.value) : field.value);
        out.push([order, now === before ? field.lines : [field.key + ": " + now + end]]);
      });
      fields.forEach(function (field) {
        var known = byLowerName[field.name.toLowerCase()];
        if (written[known.name]) return;
        var now = headerText(known, data[known.name]);
        if (now === "") return;
        var at = out.length;
        while (at > 0 && out[at - 1][0] > known.order) at--;
        out.splice(at, 0, [known.order, [known.name + ": " + now + end]]);
      });
      var parts = source.opening === null ? [] : [source.opening];
      out.forEach(function (entry) { parts.push.apply(parts, entry[1]); });
      var body = data[BODY_KEY] == null ? "" : String(data[BODY_KEY]);
      var closing = source.closing;
      if (closing === null && !source.header.length && out.length) {
        closing = end; // text that had no header gets one: a blank line after it
      }
      if (closing !== null && (out.length || source.opening !== null || source.closing !== null)) {
        parts.push(closing);
      }
      if (source.hasRest || body !== "") parts.push.apply(parts, body.split("\n"));
      var text = parts.join("\n");
      if (source.finalNewline && !/\n$/.test(text)) text += end + "\n";
      return source.bom + text;
    }

    return { fromFile: fromFile, toFile: toFile };
  }

  function bare(line) {
    return line.replace(/\r$/, "");
  }

  // As Pelican splits Tags (pelican.readers.ensure_metadata_list).
  function splitList(value) {
    var separator = value.indexOf(";") >= 0 ? ";" : ",";
    return value.split(separator).map(function (part) { return part.trim(); })
      .filter(function (part) { return part !== ""; });
  }

  /* A value as one header line holds it: lists joined with ", ", text on
     one line (a line break would start a line the reader takes as text). */
  function headerText(known, value) {
    if (value == null) return "";
    if (value && typeof value.toJS === "function") value = value.toJS();
    if (known.list) {
      var items = Array.isArray(value) ? value : splitList(String(value));
      return items.map(function (item) { return String(item).trim(); })
        .filter(function (item) { return item !== ""; }).join(", ");
    }
    if (value instanceof Date) value = value.toISOString();
    return String(value).split(/\s*[\r\n]+\s*/).join(" ").trim();
  }

  exports.pelicanFormat = pelicanFormat;
  exports.SOURCE_KEY = SOURCE_KEY;
})(typeof module !== "undefined" ? module.exports : (window.PortalPelicanFormat = {}));
