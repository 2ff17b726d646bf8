"""Regenerate the staff desk screenshots used by README.md and HUONG-DAN-NHANH.md.

Usage (from the repository root, after `make install`):

    .venv/bin/python docs/screenshots.py [--out docs] [--chromium /usr/bin/chromium]

It starts its own `dccs serve --demo` on a free port with a throw-away data folder, files a
citizen's khiếu nại through the web chat API, signs the demo official in through the
one-time code and /dangnhap (the same way a real official does), walks the đơn to thụ lý,
adds a little reception history for the chart, and saves desk-*.png at 1280×800 (one case
page at 390 px). Nothing outside the temporary folder and the output folder is touched.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from playwright._impl._api_structures import Clip  # the TypedDict Page.screenshot takes
from playwright.sync_api import Page, sync_playwright

# The demo moment: a Wednesday, so the reception list and the deadlines look like a normal
# working week. DCCS_TEST_TODAY starts every clock of the server at 09:00 that day; it is the
# only way to fix the moment of `dccs serve` (the CLI has no --now for serve), which keeps the
# dates in the pictures the same on every run.
TODAY = "25/11/2026"
FILER_PHONE = "0987 654 321"
ROOT = Path(__file__).resolve().parent.parent
# Receptions recorded on the desk (date, name, kind, content, people), two months of them.
WALK_INS = (
    ("2026-10-27", "Phạm Văn Tư", "kien_nghi", "Kiến nghị sửa đường liên thôn.", 1),
    ("2026-10-29", "Đỗ Thị Hoa", "khieu_nai", "Khiếu nại việc thu phí chợ.", 1),
    ("2026-11-04", "Vũ Văn Nam", "kien_nghi", "Kiến nghị lắp đèn đường thôn 2.", 1),
    ("2026-11-18", "Tổ dân phố 3", "phan_anh", "Phản ánh rác thải ven sông.", 6),
)
MAX_BYTES = 250_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


DCCS = ROOT / ".venv" / "bin" / "dccs"


@contextmanager
def demo_server(port: int) -> Iterator[tuple[str, str, dict[str, str]]]:
    """Yields (base URL, the demo official's one-time code, the server's environment for
    other `dccs` commands); stops the server afterwards."""
    data = tempfile.mkdtemp(prefix="dccs-shots-")
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DCCS_DATA_DIR": data,
        "DCCS_DATABASE_URL": "",
        "DCCS_PUBLIC_URL": base,
        "DCCS_TEST_TODAY": TODAY,
        "DCCS_LOG_LEVEL": "WARNING",
    }
    log = Path(data) / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(DCCS), "serve", "--demo", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        code = ""
        for _ in range(120):
            text = log.read_text(encoding="utf-8")
            found = re.search(r"gõ mã ([A-Z0-9]{4}-[A-Z0-9]{4})", text)
            if found:
                code = found.group(1)
                break
            if proc.poll() is not None:
                sys.exit(f"dccs serve stopped:\n{text}")
            time.sleep(0.5)
        if not code:
            sys.exit(f"no demo code printed:\n{log.read_text(encoding='utf-8')}")
        yield base, code, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)


class Chat:
    """One person's web chat: its own cookie jar, like one browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def send(self, **body: str) -> str:
        request = urllib.request.Request(
            f"{self.base}/api/chat",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with self.opener.open(request, timeout=30) as response:
            replies = json.load(response)["replies"]
        return "\n".join(reply["text"] for reply in replies)

    def say(self, text: str) -> str:
        return self.send(text=text)

    def press(self, payload: str) -> str:
        return self.send(button=payload)


def file_khieu_nai(base: str, name: str, phone: str, decision: str, content: str) -> str:
    """A citizen files a khiếu nại in the chat, typing without diacritics at first."""
    citizen = Chat(base)
    citizen.say("xin chao")
    citizen.say("toi muon khieu nai")
    citizen.press("pt:yes:khieu_nai")
    for answer in (name, phone, "Thôn 3, xã Minh Hòa", decision, "15/11/2026", content):
        citizen.say(answer)
    citizen.say("Đề nghị xem xét lại mức bồi thường")
    citizen.say("khong co")
    reply = citizen.press("pt:send")
    found = re.search(r"Mã tra cứu: ([A-Z]{2}-\d{4}-[A-Z0-9]+)", reply)
    if not found:
        sys.exit(f"the đơn was not filed:\n{reply}")
    return found.group(1)


def login_link(base: str, code: str) -> str:
    official = Chat(base)
    official.say("xin chao")
    official.say(code)
    reply = official.say("/dangnhap")
    found = re.search(r"https?://\S+/desk/dang-nhap\?t=\S+", reply)
    if not found:
        sys.exit(f"no login link:\n{reply}")
    return found.group(0)


def name_the_official(env: dict[str, str], name: str) -> None:
    """The demo code makes an official without a name; pages would say "Tài khoản #N".
    Give them one the way the guide tells the IT officer to (`dccs users rename`)."""
    listing = subprocess.run(
        [str(DCCS), "users", "list"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    for line in listing.splitlines():
        columns = line.split("\t")
        if len(columns) > 3 and columns[3] == "official":
            subprocess.run(
                [str(DCCS), "users", "rename", columns[1], name],
                cwd=ROOT,
                env=env,
                capture_output=True,
                check=True,
            )
            return
    sys.exit(f"no official in:\n{listing}")


def shrink(path: Path) -> None:
    """Keep each picture small enough for the repository: fall back to a 256-colour PNG."""
    if path.stat().st_size <= MAX_BYTES:
        return
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256).save(path, optimize=True)


def shot(page: Page, path: Path, clip: Clip | None = None) -> None:
    if clip is None:
        page.screenshot(path=path, full_page=False)
    else:
        page.screenshot(path=path, full_page=True, clip=clip)
    shrink(path)
    print(f"{path.name}: {path.stat().st_size // 1000} KB")


def top_of(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"] + page.evaluate("window.scrollY"))


def bottom_of(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"] + box["height"] + page.evaluate("window.scrollY"))


def window(top: float, bottom: float, tallest: float = 1000) -> Clip:
    """A full-width clip from top to bottom: 800 px at least, and when the part wanted is
    taller than `tallest`, its last `tallest` pixels."""
    height = min(max(bottom - top, 800), tallest)
    return {"x": 0, "y": max(0, bottom - height), "width": 1280, "height": height}


def walk_in(
    page: Page, base: str, day: str, name: str, kind: str, content: str, people: int = 1
) -> None:
    """An official records a citizen received without a booking (feeds the report's chart)."""
    page.goto(f"{base}/desk/tiep-cong-dan/truc-tiep")
    page.fill("#ngay", day)
    page.select_option("#hinh_thuc", "thuong_xuyen")
    page.fill("#ten", name)
    page.fill("#dia_chi", "Thôn 5, xã Minh Hòa")
    page.select_option("#loai", kind)
    page.fill("#noi_dung", content)
    # A group's name ("Tổ dân phố 3") is only accepted with more than one person.
    page.fill("#so_nguoi", str(people))
    page.click("button:has-text('Xem lại trước khi lưu')")
    page.click("button:has-text('Lưu vào sổ tiếp công dân')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    with demo_server(free_port()) as (base, code, env):
        filed = file_khieu_nai(
            base,
            "Nguyễn Văn Hùng",
            FILER_PHONE,
            "Quyết định số 45/QĐ-UBND ngày 10/11/2026 của UBND xã về thu hồi đất",
            "UBND xã thu hồi 200 m2 đất vườn của gia đình tôi nhưng mức bồi thường thấp hơn "
            "giá đất địa phương.",
        )
        second = file_khieu_nai(
            base,
            "Lê Thị Mai",
            "0912 000 111",
            "Việc UBND xã không cấp giấy xác nhận nơi cư trú",
            "Tôi đã nộp đủ giấy tờ từ ngày 03/11/2026 nhưng chưa được trả lời.",
        )
        link = login_link(base, code)
        name_the_official(env, "Trần Văn Bình")

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium)
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
            page = context.new_page()

            # The page a login link opens: nothing is spent until "Đăng nhập" is pressed.
            page.goto(link)
            shot(page, out / "desk-login.png")
            page.click("button:has-text('Đăng nhập')")

            # The queue, searched by the filer's phone as they say it at the counter.
            page.goto(f"{base}/desk/don")
            page.fill("input[name=tim]", FILER_PHONE)
            page.click("button:has-text('Lọc')")
            shot(page, out / "desk-queue.png")

            # The case: taken, marked received (signed đơn), thụ lý confirmed; the notice
            # to print appears with the next steps.
            page.click(f"text={filed}")
            case_url = page.url
            page.click("button:has-text('Nhận xử lý')")
            page.click("button:has-text('Đã nhận đơn')")
            page.locator("button", has_text=re.compile("^Thụ lý$")).click()
            page.click("button:has-text('Xác nhận')")
            page.goto(case_url)
            # The steps of this stage and, under them, the notice to print.
            giay_to = "section:has(#giay-to)"
            shot(
                page,
                out / "desk-case.png",
                window(top_of(page, "#moc") - 16, bottom_of(page, giay_to) + 16),
            )

            # The second đơn received too, and a few receptions, so the chart is not empty.
            page.goto(f"{base}/desk/don?tim={second}")
            page.click(f"text={second}")
            page.click("button:has-text('Nhận xử lý')")
            page.click("button:has-text('Đã nhận đơn')")
            for day, name, kind, content, people in WALK_INS:
                walk_in(page, base, day, name, kind, content, people)

            page.goto(f"{base}/desk/tiep-cong-dan")
            shot(page, out / "desk-calendar.png")

            page.goto(f"{base}/desk/han-bao-cao")
            shot(page, out / "desk-deadlines.png")

            page.goto(f"{base}/desk/bao-cao")
            page.check("#ky-quy")
            page.select_option("#quy", "4")
            page.click("button:has-text('Xem số liệu')")
            chart = page.locator("main img").first
            chart.scroll_into_view_if_needed()
            page.wait_for_function(
                "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)"
            )
            # From the figures' heading (with the XLSX and DOCX buttons) to the chart.
            shot(
                page,
                out / "desk-report.png",
                window(
                    top_of(page, "#so-lieu") - 16, bottom_of(page, "section:has(#bieu-do)") + 16
                ),
            )

            # The same case on a phone.
            page.set_viewport_size({"width": 390, "height": 800})
            page.goto(case_url)
            shot(page, out / "desk-case-phone.png")
            browser.close()


if __name__ == "__main__":
    main()
