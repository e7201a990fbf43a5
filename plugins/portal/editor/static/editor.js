/* The portal's editor: Decap CMS (loaded before this, with CMS_MANUAL_INIT),
   started with the configuration the editor server makes from the site's
   settings (/admin/config.json), plus what Decap lacks for this site:
   - Pelican's "Key: value" header as the file format (pelican-format.js);
   - tags typed freely, with the tags articles already use as suggestions;
   - the page's address made from the title by the build's own rule
     (/admin/slug) before a new article is first saved;
   - photos in the text with a required description and a caption;
   - a preview pane that looks like the site (its stylesheet, its classes). */
(function () {
  "use strict";

  var ADMIN = "/admin/";
  var HEADER_FORMAT = "pelican";

  fetch(ADMIN + "config.json", { cache: "no-store" })
    .then(function (response) {
      if (!response.ok) throw new Error("config.json: " + response.status);
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      document.body.textContent = "Không mở được trình soạn bài (" + error.message +
        "). Hãy chạy lại `make serve` rồi tải lại trang này.";
    });

  /* What Decap's Vietnamese lacks (its English would show instead), for
     what an editor meets on this site. Decap's own words are kept. */
  var MORE_VIETNAMESE = {
    editor: {
      editorControl: { field: { widgetLabel: "Ô %{widgetLabel}" } },
      editorInterface: { togglePreview: "Ẩn/hiện xem trước", toggleScrollSync: "Cuộn cùng nhau" },
      editorWidgets: {
        markdown: {
          bold: "Chữ đậm", italic: "Chữ nghiêng", strikethrough: "Gạch ngang chữ", code: "Mã",
          link: "Liên kết", linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề nhỏ",
          quote: "Trích dẫn", bulletedList: "Danh sách gạch đầu dòng", numberedList: "Danh sách đánh số",
          addComponent: "Chèn ảnh",
          toggleMode: { rich: "Chuyển sang soạn thảo định dạng", markdown: "Chuyển sang soạn thảo Markdown" },
        },
        image: { chooseMultiple: "Chọn các hình", addMore: "Thêm hình", removeAll: "Gỡ bỏ tất cả" },
        datetime: { setToNow: "Đặt %{fieldLabel} là lúc này" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở ra", collapse: "Thu gọn" },
      },
    },
    mediaLibrary: {
      mediaLibraryCard: { copy: "Chép", copyUrl: "Chép địa chỉ", copyPath: "Chép đường dẫn",
        copyName: "Chép tên", copied: "Đã chép" },
      mediaLibraryModal: { close: "Đóng" },
    },
  };

  function withMissing(phrases, more) {
    var merged = Object.assign({}, phrases);
    Object.keys(more).forEach(function (key) {
      if (typeof more[key] === "object") merged[key] = withMissing(merged[key] || {}, more[key]);
      else if (!(key in merged)) merged[key] = more[key];
    });
    return merged;
  }

  function start(config) {
    CMS.registerLocale("vi", withMissing(CMS.getLocale("vi") || {}, MORE_VIETNAMESE));
    var headerCollections = config.collections.filter(function (collection) {
      return collection.format.indexOf(HEADER_FORMAT + "-") === 0;
    });
    registerFormats(headerCollections);
    CMS.registerWidget("portal-tags", TagsControl, TagsPreview,
      { properties: { suggestions: { type: "array", items: { type: "string" } } } });
    CMS.registerEditorComponent(photoComponent);
    CMS.registerEventListener({ name: "preSave", handler: beforeSave });
    CMS.registerPreviewStyle(ADMIN + "site.css");
    headerCollections.forEach(function (collection) {
      // Articles and pages; documents keep Decap's list of fields.
      if (collection.identifier_field === "Title") CMS.registerPreviewTemplate(collection.name, ArticlePreview);
    });
    CMS.init({ config: config });
  }

  /* One format per kind of file ("pelican-article", "pelican-document"...),
     made from its fields, in the reader's order. */
  function registerFormats(collections) {
    var registered = {};
    collections.forEach(function (collection) {
      if (registered[collection.format]) return;
      registered[collection.format] = true;
      var fields = collection.fields.filter(function (field) { return field.name !== "body"; })
        .map(function (field) { return { name: field.name, list: field.widget === "portal-tags" }; });
      CMS.registerCustomFormat(collection.format, "md", PortalPelicanFormat.pelicanFormat(fields));
    });
  }

  /* Before a save: refuse a photo without a description (Decap does not
     hold the photo dialog's required fields; the build would refuse it
     too, later), and give a new article its address. */
  function beforeSave(event) {
    var data = event.entry.get("data");
    var photo = /!\[\s*\]\(\s*([^\s)]*)/.exec(String(data.get("body") || ""));
    if (photo) {
      throw refusal("Ảnh “" + photo[1].split("/").pop() + "” chưa có mô tả. Bấm vào ảnh trong ô " +
        "“Nội dung” và điền “Mô tả ảnh”.");
    }
    return addressFromTitle(event.entry, data);
  }

  /* An error Decap shows as it is, after its own "Không thể giữ lại mục:"
     (without the "Error:" it puts before an Error's message). */
  function refusal(text) {
    var error = new Error(text);
    error.toString = function () { return text; };
    return error;
  }

  /* The page's address, as the build makes it from the title (đ -> d,
     punctuation dropped), asked of the editor server, which runs the
     build's own function: a new article's file is named as its page. */
  function addressFromTitle(entry, data) {
    if (!entry.get("newRecord") || data.get("Title") === undefined || (data.get("Slug") || "").trim()) {
      return undefined;
    }
    return fetch(ADMIN + "slug?title=" + encodeURIComponent(data.get("Title") || ""), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.slug) {
          throw refusal("Không tạo được địa chỉ trang từ tiêu đề này. Hãy điền ô “Địa chỉ trang”, " +
            "ví dụ: hoi-nghi-tong-ket.");
        }
        return data.set("Slug", answer.slug);
      });
  }

  /* --- Tags: chosen ones as chips, a box to type a new one or pick one
         the site already uses. */

  function tagList(value) {
    if (!value) return [];
    if (typeof value.toJS === "function") value = value.toJS();
    return Array.isArray(value) ? value : String(value).split(",").map(function (tag) { return tag.trim(); })
      .filter(Boolean);
  }

  var TagsControl = createClass({
    getInitialState: function () { return { typed: "" }; },

    add: function (text) {
      var tags = tagList(this.props.value);
      text.split(/[,;]/).forEach(function (part) {
        var tag = part.trim().replace(/\s+/g, " ");
        if (tag && tags.indexOf(tag) < 0) tags = tags.concat([tag]);
      });
      this.setState({ typed: "" });
      this.props.onChange(tags);
    },

    remove: function (tag) {
      this.props.onChange(tagList(this.props.value).filter(function (other) { return other !== tag; }));
    },

    onKeyDown: function (event) {
      if ((event.key === "Enter" || event.key === ",") && this.state.typed.trim()) {
        event.preventDefault();
        this.add(this.state.typed);
      } else if (event.key === "Backspace" && !this.state.typed) {
        var tags = tagList(this.props.value);
        if (tags.length) this.remove(tags[tags.length - 1]);
      }
    },

    render: function () {
      var self = this;
      var props = this.props;
      var suggestions = (props.field.get("suggestions") || []);
      if (typeof suggestions.toJS === "function") suggestions = suggestions.toJS();
      var listId = props.forID + "-goi-y";
      return h("div", { className: props.classNameWrapper, style: { display: "flex", flexWrap: "wrap", gap: "6px", alignItems: "center" } },
        tagList(props.value).map(function (tag) {
          return h("span", { key: tag, className: "portal-tag", style: { background: "#e8eef7", borderRadius: "12px", padding: "2px 4px 2px 10px" } },
            tag,
            h("button", {
              type: "button", "aria-label": "Bỏ chủ đề " + tag, title: "Bỏ chủ đề này",
              onClick: function () { self.remove(tag); },
              style: { border: 0, background: "none", cursor: "pointer", fontSize: "16px", padding: "0 6px" },
            }, "×"));
        }),
        h("input", {
          id: props.forID, type: "text", list: listId, value: this.state.typed,
          placeholder: "Gõ chủ đề rồi bấm Enter",
          style: { flex: "1 1 12em", border: 0, outline: 0, fontSize: "15px", padding: "4px", background: "transparent" },
          onChange: function (event) {
            var typed = event.target.value;
            // A suggestion picked from the list is complete: add it at once.
            if (suggestions.indexOf(typed) >= 0) self.add(typed);
            else self.setState({ typed: typed });
          },
          onKeyDown: this.onKeyDown,
          onBlur: function () { if (self.state.typed.trim()) self.add(self.state.typed); },
          onFocus: props.setActiveStyle,
        }),
        h("datalist", { id: listId }, suggestions.map(function (tag) {
          return h("option", { key: tag, value: tag });
        })));
    },
  });

  var TagsPreview = createClass({
    render: function () { return h("span", {}, tagList(this.props.value).join(", ")); },
  });

  /* --- Photos in the text: ![description](address "caption"), as the
         photo pipeline reads them; the description is required (the
         build refuses a photo without one). */
  var photoComponent = {
    id: "image",
    label: "Ảnh",
    fields: [
      { name: "image", label: "Ảnh", widget: "image", media_library: { allow_multiple: false }, choose_url: false },
      { name: "alt", label: "Mô tả ảnh (bắt buộc)", widget: "string", required: true,
        hint: "Ảnh cho thấy gì, cho người không xem được ảnh. Ví dụ: Đồng chí Bí thư phát biểu tại hội nghị." },
      { name: "title", label: "Chú thích", widget: "string", required: false,
        hint: "Không bắt buộc: hiện dưới ảnh, thường kết thúc bằng tên người chụp: “… Ảnh: T.B”." },
    ],
    pattern: /^!\[(.*)\]\((.*?)(\s"(.*)")?\)$/,
    fromBlock: function (match) {
      return { image: match[2], alt: match[1], title: match[4] };
    },
    toBlock: function (photo) {
      var caption = photo.title ? ' "' + String(photo.title).replace(/"/g, "'") + '"' : "";
      return "![" + (photo.alt || "") + "](" + (photo.image || "") + caption + ")";
    },
    toPreview: function (photo, getAsset, fields) {
      var field = fields && fields.find(function (f) { return f.get("widget") === "image"; });
      var src = getAsset(photo.image, field);
      return h("figure", {},
        h("img", { src: src && src.toString(), alt: photo.alt || "" }),
        photo.title ? h("figcaption", {}, photo.title) : null);
    },
  };

  /* --- The preview pane: the article as the site shows it (the classes of
         article.html and its partials; the site's stylesheet). */
  var ArticlePreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var tags = tagList(data.get("Tags"));
      var status = data.get("Status");
      var lead = data.get("Image");
      var leadField = this.props.collection.get("fields").find(function (field) {
        return field.get("name") === "Image";
      });
      var leadSrc = lead && this.props.getAsset(lead, leadField);
      return h("main", { className: "app-layout__main", style: { padding: "1rem" } },
        status && status !== "published"
          ? h("p", { className: "app-editor-preview__status", style: { background: "#fff4ce", padding: "0.5rem" } },
            status === "draft" ? "Bài nháp: chưa hiện trên trang." : "Bài ẩn: không hiện trên trang.")
          : null,
        h("article", { className: "app-article" },
          h("header", { className: "app-article__header" },
            h("h1", { className: "app-article__title" }, data.get("Title") || ""),
            h("p", { className: "app-article-meta" },
              h("time", { className: "app-article-meta__date" }, String(data.get("Date") || "")), " ",
              h("span", { className: "app-article-meta__author" }, data.get("Author") || ""), " ",
              data.get("Category") ? h("span", { className: "app-article-meta__category" }, data.get("Category")) : null)),
          lead ? h("figure", { className: "app-article__lead" },
            h("img", { src: leadSrc && leadSrc.toString(), alt: "" }),
            data.get("ImageCaption") ? h("figcaption", {}, data.get("ImageCaption")) : null) : null,
          data.get("Summary") ? h("p", { className: "app-article__summary" }, h("strong", {}, data.get("Summary"))) : null,
          h("div", { className: "app-article__body" }, this.props.widgetFor("body")),
          tags.length ? h("div", { className: "app-article-tags" },
            h("h2", { className: "app-article-tags__heading" }, "Chủ đề"),
            h("ul", { className: "app-article-tags__list" }, tags.map(function (tag) {
              return h("li", { key: tag }, h("span", { className: "app-tag" }, tag));
            }))) : null));
    },
  });
})();
