"""A citizen uses the web chat page in a real headless Chromium, against `dccs serve --demo`.

Debian's chromium is driven by Playwright with its executable path set; Playwright's own
browser download cannot work here. A missing chromium fails this test: it is not skipped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

from bot.channels.web import website_snippet

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(cli_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--demo", "--port", str(port)],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.stdout else ""
                    raise AssertionError(f"server did not start:\n{output}") from exc
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def page(served: str) -> Iterator[Page]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 640})
        tab = context.new_page()
        tab.goto(served)
        yield tab
        browser.close()


def test_a_citizen_asks_about_the_complaint_time_limit_on_the_web_page(page: Page) -> None:
    log = page.get_by_role("log")
    expect(log).to_contain_text("xã Minh Hòa")  # the demo greeting arrives on its own
    page.get_by_label("Câu hỏi của anh/chị").fill("thoi hieu khieu nai la bao lau")
    page.keyboard.press("Enter")
    expect(log).to_contain_text("90 ngày")
    expect(log).to_contain_text("Căn cứ: Điều 9")


def test_a_citizen_picks_a_choice_by_pressing_its_button(page: Page) -> None:
    log = page.get_by_role("log")
    page.get_by_label("Câu hỏi của anh/chị").fill("to cao")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(log).to_contain_text("Có phải anh/chị muốn hỏi")
    choices = log.get_by_role("listitem").last.get_by_role("button")
    expect(choices).to_have_count(4)
    choices.first.click()
    expect(log.get_by_role("listitem").last).to_contain_text("Căn cứ:")


def test_the_page_adds_no_greeting_bubble_and_refuses_blank_or_overlong_text_in_vietnamese(
    page: Page,
) -> None:
    log = page.get_by_role("log")
    expect(log).to_contain_text("xã Minh Hòa")
    expect(log).not_to_contain_text("Bắt đầu")  # nobody typed anything
    box = page.get_by_label("Câu hỏi của anh/chị")
    box.fill("   ")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "Anh/chị chưa gõ nội dung. Gõ câu hỏi rồi bấm Gửi."
    )
    # A long paste is not cut: a counter warns and the text stays to be shortened.
    long_text = "Đường xóm bị ngập " * 300
    box.fill(long_text)
    expect(page.locator("#count")).to_contain_text("quá 2000 ký tự")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(box).to_have_value(long_text)
    expect(log.get_by_role("listitem")).to_have_count(1)  # still only the greeting


def test_a_booking_code_never_wraps_on_a_narrow_screen(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 700})
    log = page.get_by_role("log")
    page.get_by_label("Câu hỏi của anh/chị").fill("tra cuu KN-2026-ABC234 5678")
    page.keyboard.press("Enter")
    expect(log.get_by_role("listitem")).to_have_count(3)
    code = log.locator(".code").first
    expect(code).to_have_text("KN-2026-ABC234")
    box = code.bounding_box()
    assert box is not None and box["height"] < 40  # one line, not broken at a hyphen


def test_a_citizen_who_reloads_half_way_through_a_form_sees_the_conversation_and_goes_on(
    page: Page,
) -> None:
    log = page.get_by_role("log")
    box = page.get_by_label("Câu hỏi của anh/chị")
    expect(log).to_contain_text("xã Minh Hòa")
    box.fill("dang ky gap chu tich xa")
    page.keyboard.press("Enter")
    log.get_by_role("button").filter(has_text="07:30").first.click()
    log.get_by_role("button", name="Kiến nghị").last.click()
    expect(log).to_contain_text("họ và tên")
    box.fill("Nguyen Van An")
    page.keyboard.press("Enter")
    expect(log.get_by_role("listitem").last).to_contain_text("số điện thoại")
    shown = log.get_by_role("listitem").count()

    page.reload()
    expect(log.get_by_role("listitem")).to_have_count(shown)
    expect(log).to_contain_text("dang ky gap chu tich xa")  # what the person typed
    expect(log).to_contain_text("Nguyen Van An")
    expect(log.get_by_role("listitem").last).to_contain_text("số điện thoại")
    expect(log).not_to_contain_text("/start")
    # The form went on where it stood: the next answer is the phone number.
    box.fill("sdt cua toi la 091 234 5678")
    page.keyboard.press("Enter")
    expect(log.get_by_role("listitem").last).to_contain_text("địa chỉ")


def test_a_commune_website_with_the_snippet_opens_the_chat_in_its_own_tab(
    page: Page, served: str
) -> None:
    commune = page.context.new_page()
    commune.set_content(
        f"<!doctype html><html lang='vi'><body><h1>UBND xã Minh Hòa</h1>"
        f"{website_snippet(served + '/')}</body></html>"
    )
    button = commune.get_by_role("link", name="Hỏi Trợ lý dân chủ cơ sở")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44  # large enough to tap
    with commune.context.expect_page() as opened:
        button.click()
    chat = opened.value
    expect(chat.get_by_role("log")).to_contain_text("xã Minh Hòa")
    assert chat.url == served + "/"


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00"
    b"\x05\x00\x01\xff\xa5\xf7\xa9\x8f\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_citizen_attaches_a_photo_to_a_report_with_the_page_file_picker(page: Page) -> None:
    log = page.get_by_role("log")
    box = page.get_by_label("Câu hỏi của anh/chị")
    expect(log).to_contain_text("xã Minh Hòa")
    log.get_by_role("button", name="Gửi đơn thư").last.click()
    log.get_by_role("button", name="Phản ánh").last.click()
    for answer in ("Le Van Tam", "0911222333", "Thon Tay", "Cong thoat nuoc bi tac", "Ngo 5"):
        box.fill(answer)
        page.keyboard.press("Enter")
    picker = log.get_by_label("Chọn ảnh hoặc giấy tờ (JPEG, PNG, PDF; mỗi tệp tối đa 10 MB)")
    expect(picker).to_have_count(1)
    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    assert found.response["violations"] == []
    picker.set_input_files({"name": "cong.png", "mimeType": "image/png", "buffer": PNG})
    expect(log).to_contain_text("Tệp: cong.png")
    expect(log.get_by_role("listitem").last).to_contain_text("Đã nhận 1 tệp")
    picker.last.set_input_files(
        {"name": "ghi-chu.txt", "mimeType": "text/plain", "buffer": b"not a photo"}
    )
    expect(page.get_by_role("status")).to_contain_text("chỉ nhận ảnh JPEG, PNG")
    log.get_by_role("button", name="Xong, tiếp tục").last.click()
    expect(log.get_by_role("listitem").last).to_contain_text("Ảnh, giấy tờ kèm theo: 1")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_chat_page_has_no_accessibility_violations_in_its_states(
    page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    log = page.get_by_role("log")
    box = page.get_by_label("Câu hỏi của anh/chị")
    axe = Axe()

    def violations(state: str) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                }
            },
        )
        found = [(v["id"], v["impact"]) for v in results.response["violations"]]
        assert found == [], f"{state} at {width}px: {found}"

    expect(log).to_contain_text("xã Minh Hòa")
    violations("greeting")
    box.fill("to cao")
    page.keyboard.press("Enter")
    expect(log).to_contain_text("Có phải anh/chị muốn hỏi")
    violations("an answer with buttons")
    log.get_by_role("button", name="Đăng ký tiếp công dân").last.click()
    log.get_by_role("button", name="Đặt lịch").last.click()
    log.get_by_role("button").filter(has_text="07:30").first.click()
    expect(log).to_contain_text("làm gì")
    violations("a form step")
    log.get_by_role("button", name="Kiến nghị").last.click()
    for answer in ("Nguyen Van An", "0912 345 678", "Thon Dong, xa Minh Hoa"):
        box.fill(answer)
        page.keyboard.press("Enter")
    box.fill("De nghi sua duong lien thon bi sat lo")
    page.keyboard.press("Enter")
    box.fill("1")
    page.keyboard.press("Enter")
    expect(log).to_contain_text("kiểm tra lại")
    violations("a read-back")
    page.reload()
    expect(log).to_contain_text("kiểm tra lại")
    violations("a restored history")
