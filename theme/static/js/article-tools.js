/* The article's tools (partials/article_tools.html): share to Zalo through the
   phone's own share sheet, copy the link, print. No script of another site:
   nothing leaves the page until the reader chooses where to share. Without
   JavaScript these buttons stay hidden and the Facebook link still works. */

const status = document.querySelector("[data-article-tools-status]");

if (document.body.classList.contains("js-enabled") && status) {
  // The address as readers share it: absolute even on a preview build,
  // whose links start with "/".
  const url = new URL(status.dataset.shareUrl, window.location.href).href;
  const title = status.dataset.shareTitle;
  const say = (text) => { status.textContent = text; };

  const facebook = document.querySelector("[data-share-facebook]");
  if (facebook) {
    facebook.href = "https://www.facebook.com/sharer/sharer.php?u=" + encodeURIComponent(url);
  }

  async function copyLink(done) {
    try {
      await navigator.clipboard.writeText(url);
      say(done);
    } catch {
      say("Không sao chép được. Liên kết của bài: " + url);
    }
  }

  document.querySelector("[data-share-zalo]").addEventListener("click", async () => {
    if (navigator.share) {
      try {
        await navigator.share({ title, url });
      } catch {
        // The reader closed the share sheet: nothing to say.
      }
      return;
    }
    await copyLink("Đã sao chép liên kết. Mở Zalo và dán vào cuộc trò chuyện để chia sẻ.");
  });
  document.querySelector("[data-copy-link]").addEventListener("click", () => copyLink("Đã sao chép liên kết của bài."));
  document.querySelector("[data-print]").addEventListener("click", () => window.print());

  for (const tool of document.querySelectorAll("[data-article-tool]")) tool.hidden = false;
}
