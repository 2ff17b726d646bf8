// The web chat client: posts what the person types or presses, shows the replies, and polls
// for pushes. No framework and nothing loaded from elsewhere.
"use strict";
(function () {
  const log = document.getElementById("messages");
  const form = document.getElementById("ask");
  const input = document.getElementById("text");
  const count = document.getElementById("count");
  const status = document.getElementById("status");
  const POLL_MS = 5000;
  // The server reads at most this many characters; the page warns rather than cuts.
  const MAX_CHARS = 2000;
  const WARN_FROM = 1800;
  const MAX_FILE_BYTES = 10 * 1024 * 1024;
  // Booking and đơn codes (LH-7KQ2MX, KN-2026-ABC123) are shown unbroken.
  const CODE = /\b(?:LH|TD|KN|TC|KG|PA|TT)-(?:\d{4}-)?[A-Z0-9]{6}\b/g;

  function withCodes(parent, text) {
    let last = 0;
    for (const match of text.matchAll(CODE)) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const code = document.createElement("span");
      code.className = "code";
      code.textContent = match[0];
      parent.appendChild(code);
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function add(who, text) {
    const item = document.createElement("li");
    item.className = who;
    const label = document.createElement("span");
    label.className = "sr";
    label.textContent = who === "me" ? "Anh/chị: " : "Trợ lý: ";
    item.appendChild(label);
    withCodes(item, text);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  // Files the server builds on demand for this session only.
  function files(attachment) {
    if (attachment.startsWith("letter:")) {
      const code = attachment.slice("letter:".length);
      const href = "/api/petitions/" + encodeURIComponent(code) + "/letter.docx";
      return [{ href: href, label: "Tải đơn để in, ký (" + code + ".docx)" }];
    }
    return [];
  }

  // A đơn's files step: a picker in the message that asks for them. Each file is posted as
  // it is, in turn with the typed messages; the server checks its type and size again.
  function filePicker(item) {
    const label = document.createElement("label");
    label.className = "files";
    label.textContent = "Chọn ảnh hoặc giấy tờ (JPEG, PNG, PDF; mỗi tệp tối đa 10 MB)";
    const picker = document.createElement("input");
    picker.type = "file";
    picker.multiple = true;
    picker.accept = "image/jpeg,image/png,application/pdf";
    picker.addEventListener("change", () => {
      for (const file of picker.files) upload(file);
      picker.value = "";
    });
    label.appendChild(picker);
    item.appendChild(label);
  }

  function upload(file) {
    if (file.size > MAX_FILE_BYTES) {
      status.textContent =
        "Tệp " + file.name + " lớn hơn 10 MB nên chưa gửi. Anh/chị chọn ảnh nhỏ hơn hoặc tệp khác.";
      return;
    }
    add("me", "Tệp: " + file.name);
    queue = queue.then(() => deliverFile(file));
  }

  async function deliverFile(file) {
    status.textContent = "Đang gửi tệp…";
    try {
      const response = await fetch("/api/chat/files?id=" + newId(), {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        credentials: "same-origin",
        body: file,
      });
      const data = await response.json();
      if (!response.ok) {
        status.textContent = data.error || "Chưa gửi được tệp.";
        return;
      }
      status.textContent = "";
      showReplies(data.replies);
    } catch (error) {
      status.textContent = "Chưa gửi được tệp. Anh/chị kiểm tra kết nối mạng rồi thử lại.";
    }
  }

  function showReplies(replies) {
    for (const reply of replies) {
      const item = add("bot", reply.text);
      if (reply.buttons && reply.buttons.length) {
        const group = document.createElement("div");
        group.className = "buttons";
        group.setAttribute("role", "group");
        for (const b of reply.buttons) {
          const button = document.createElement("button");
          button.type = "button";
          button.textContent = b.label;
          button.addEventListener("click", () => send({ button: b.payload }, b.label));
          group.appendChild(button);
        }
        item.appendChild(group);
      }
      if (reply.takes_files) filePicker(item);
      for (const attachment of reply.attachments || []) {
        for (const file of files(attachment)) {
          const link = document.createElement("a");
          link.href = file.href;
          link.textContent = file.label;
          link.className = "attachment";
          item.appendChild(link);
        }
      }
    }
  }

  function newId() {
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  }

  async function post(body) {
    // The same id on a retry lets the server answer once, whatever the network did.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await fetch("/api/chat", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify(body),
        });
        const data = await response.json();
        if (!response.ok) throw new Error(data.error || "Lỗi máy chủ");
        return data;
      } catch (error) {
        if (attempt === 2) throw error;
        await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
      }
    }
  }

  // Messages are sent one after another, in the order typed; none is dropped while the
  // previous one is still on its way.
  let queue = Promise.resolve();

  function send(body, shown) {
    if (shown !== null) add("me", shown);
    queue = queue.then(() => deliver(body));
    return queue;
  }

  async function deliver(body) {
    status.textContent = "Trợ lý đang trả lời…";
    try {
      const data = await post(Object.assign({ id: newId() }, body));
      status.textContent = "";
      showReplies(data.replies);
    } catch (error) {
      status.textContent = "Chưa gửi được. Anh/chị kiểm tra kết nối mạng rồi thử lại.";
    } finally {
      input.focus();
    }
  }

  function counted() {
    const length = input.value.length;
    if (length > MAX_CHARS) {
      count.textContent =
        "Tin nhắn dài " + length + " ký tự, quá " + MAX_CHARS +
        " ký tự Trợ lý đọc được. Anh/chị vui lòng rút gọn hoặc chia thành nhiều tin.";
    } else if (length > WARN_FROM) {
      count.textContent = length + "/" + MAX_CHARS + " ký tự";
    } else {
      count.textContent = "";
    }
    return length;
  }

  input.addEventListener("input", counted);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      status.textContent = "Anh/chị chưa gõ nội dung. Gõ câu hỏi rồi bấm Gửi.";
      input.focus();
      return;
    }
    if (counted() > MAX_CHARS) {
      input.focus();
      return; // nothing is cut: the text stays in the box to be shortened
    }
    input.value = "";
    counted();
    send({ text: text }, text);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  async function poll() {
    try {
      const response = await fetch("/api/chat/updates", { credentials: "same-origin" });
      if (response.ok) showReplies((await response.json()).replies);
    } catch (error) {
      // Offline for a moment: the next poll picks the pushes up.
    }
    setTimeout(poll, POLL_MS);
  }

  // A reload shows the conversation so far and the step a form stands at; a first visit gets
  // the greeting, without a bubble pretending the person typed anything.
  async function restore() {
    try {
      const response = await fetch("/api/chat/history", { credentials: "same-origin" });
      const messages = response.ok ? (await response.json()).messages : [];
      if (messages.length) {
        for (const message of messages) {
          if (message.from === "user") add("me", message.text);
          else showReplies([message]);
        }
        return;
      }
    } catch (error) {
      // No history to show: start afresh below.
    }
    send({ text: "/start" }, null);
  }

  restore();
  setTimeout(poll, POLL_MS);
})();
