"""An official who has never seen the desk logs in from a chat link, finds a đơn by the
citizen's phone number, takes it, receives it, thụ lý, and closes it with a result: in a real
headless Chromium (Debian's, driven by Playwright) against `dccs serve --demo`; axe-core checks
every desk page on a phone and at 1280x800. A missing chromium fails: it is not skipped."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, FilePayload, Page, expect, sync_playwright

from handlers import texts
from tests.test_petitions import COMPLAINT
from tests.test_platform_end_to_end import Browser as ChatClient
from tests.test_web_page import CHROMIUM_ARGS, free_port

DCCS = [sys.executable, "-m", "bot"]
INVITE_ADMIN = [
    "users",
    "invite",
    "--role",
    "admin",
    "--unit",
    "Xã Minh Hòa",
    "--name",
    "Phạm Thị D",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@dataclass
class Served:
    url: str
    invite: str


@pytest.fixture
def served(cli_env: dict[str, str]) -> Iterator[Served]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--demo", "--port", str(port)],
        env={**cli_env, "DCCS_PUBLIC_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        invite = ""
        deadline = time.monotonic() + 60
        while not invite:
            line = server.stdout.readline()
            found = re.search(r"gõ mã (\S+) vào", line)
            if found:
                invite = found.group(1)
            elif not line and (server.poll() is not None or time.monotonic() > deadline):
                raise AssertionError("server did not start")
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield Served(url, invite)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is required (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def file_complaint(base: str) -> str:
    """A citizen files a khiếu nại on the web chat API; its code."""
    citizen = ChatClient()
    steps = [{"button": "menu:petition"}, {"button": "pt:k:khieu_nai"}]
    steps += [{"text": answer} for answer in (*COMPLAINT, "xong")] + [{"button": "pt:send"}]
    for body in steps:
        replies = citizen.call(f"{base}/api/chat", body)["replies"]
    text = replies[-1]["text"]
    return str(text.split("Mã tra cứu: ")[1].split(".")[0])


def chat_link(tab: Page, served: Served, invite: str | None = None) -> str:
    """The official redeems an invite (the demo's) on the chat page and asks for a desk link."""
    tab.goto(served.url)
    box = tab.get_by_label("Câu hỏi của anh/chị")
    log = tab.get_by_role("log")
    expect(log).to_contain_text("xã Minh Hòa")
    box.fill(invite or served.invite)
    tab.keyboard.press("Enter")
    expect(log).to_contain_text("Anh/chị đã nhận vai trò")
    box.fill("/dangnhap")
    tab.keyboard.press("Enter")
    expect(log).to_contain_text("dùng một lần, hết hạn sau 10 phút")
    found = re.search(r"(http://\S+/desk/dang-nhap\?t=[A-Za-z0-9_-]+)", log.inner_text())
    assert found
    return found.group(1)


def no_violations(tab: Page, state: str) -> None:
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    found = [(v["id"], v["impact"]) for v in results.response["violations"]]
    assert found == [], f"{state}: {found}"


@pytest.mark.parametrize("width", [390, 1280])
def test_an_official_logs_in_from_the_chat_and_closes_a_complaint_found_by_phone(
    served: Served, browser: Browser, width: int
) -> None:
    code = file_complaint(served.url)
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    link = chat_link(tab, served)

    tab.goto(link)
    expect(tab.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    no_violations(tab, f"login page at {width}px")
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.get_by_role("heading", name="Đơn thư")).to_be_visible()
    no_violations(tab, f"queue at {width}px")

    tab.get_by_label("Tìm theo mã đơn, họ tên hoặc số điện thoại người gửi").fill("0912 345 678")
    tab.keyboard.press("Enter")
    tab.get_by_role("link", name=code).click()
    expect(tab.get_by_role("heading", name=re.compile(f"Đơn {code}"))).to_be_visible()
    expect(tab.get_by_text("Nguyễn Văn An")).to_be_visible()
    no_violations(tab, f"case page at {width}px")

    tab.get_by_role("button", name="Nhận xử lý").click()
    expect(tab.get_by_role("status")).to_contain_text("Anh/chị đã nhận xử lý đơn")
    tab.get_by_role("button", name=texts.PT_RECEIVED).click()
    expect(tab.get_by_role("status")).to_contain_text("đã tiếp nhận")
    tab.get_by_role("button", name="Thụ lý", exact=True).click()
    expect(tab.get_by_role("heading", name="Xác nhận: Thụ lý")).to_be_visible()
    no_violations(tab, f"confirmation at {width}px")
    tab.get_by_role("button", name="Xác nhận: Thụ lý").click()
    expect(tab.get_by_role("status")).to_contain_text("đang giải quyết")
    tab.get_by_label("Lĩnh vực của đơn").select_option(label="Đất đai")
    tab.get_by_role("button", name=texts.PT_FIELD_BUTTON).click()
    expect(tab.get_by_role("status")).to_contain_text("Đã ghi lĩnh vực")
    result = texts.DESK_STEP_NOTES["da_giai_quyet"][0]
    tab.get_by_label(result, exact=True).fill("Huỷ quyết định xử phạt số 12")
    tab.get_by_role("button", name=texts.PT_RESULT).click()
    # Back from the confirmation: the result typed is still in its box.
    tab.get_by_role("button", name="Quay lại, không làm gì").click()
    expect(tab.get_by_label(result, exact=True)).to_have_value("Huỷ quyết định xử phạt số 12")
    tab.get_by_role("button", name=texts.PT_RESULT).click()
    tab.get_by_role("button", name=f"Xác nhận: {texts.PT_RESULT}").click()
    expect(tab.get_by_role("status")).to_contain_text("đã giải quyết")
    partly = texts.PT_VERDICTS["dung_mot_phan"]
    tab.get_by_role("radio", name=partly).check()
    tab.get_by_role("button", name=texts.PT_CLOSE).click()
    expect(tab.get_by_role("main")).to_contain_text(f"Kết quả giải quyết: {partly}")
    tab.get_by_role("button", name="Quay lại, không làm gì").click()
    expect(tab.get_by_role("radio", name=partly)).to_be_checked()
    tab.get_by_role("button", name=texts.PT_CLOSE).click()
    tab.get_by_role("button", name=f"Xác nhận: {texts.PT_CLOSE}").click()
    expect(tab.get_by_role("status")).to_contain_text("đã đóng")
    history = tab.get_by_role("region", name="Lịch sử xử lý")
    expect(history).to_contain_text("Huỷ quyết định xử phạt số 12")
    no_violations(tab, f"closed case at {width}px")
    # The notice of thụ lý, printed from the closed case (a Word file named in Vietnamese).
    with tab.expect_download() as printed:
        tab.get_by_role("link", name="Tải thông báo thụ lý (DOCX)").click()
    assert printed.value.suggested_filename == f"Thông báo thụ lý {code}.docx"

    # Keyboard only: the skip link leads to the content.
    tab.goto(f"{served.url}/desk/don")
    tab.keyboard.press("Tab")
    expect(tab.get_by_role("link", name="Bỏ qua, tới nội dung chính")).to_be_focused()
    with tab.expect_download() as printed:
        tab.get_by_role("button", name="Tải Sổ theo dõi đơn (DOCX)").click()
    assert printed.value.suggested_filename.startswith("Sổ theo dõi đơn ")

    tab.get_by_role("link", name="Hạn báo cáo").click()
    expect(tab.get_by_role("heading", name="Hạn báo cáo")).to_be_visible()
    no_violations(tab, f"deadlines at {width}px")
    tab.get_by_role("button", name=re.compile("Đánh dấu đã nộp")).first.click()
    expect(tab.get_by_role("status")).to_contain_text("Đã ghi nhận hoàn thành")
    no_violations(tab, f"deadline marked at {width}px")
    tab.get_by_role("link", name="Tiếp công dân").click()
    expect(tab.get_by_role("heading", name="Tiếp công dân")).to_be_visible()
    no_violations(tab, f"reception at {width}px")
    tab.get_by_role("table").get_by_role("link").first.click()
    expect(tab.get_by_role("heading", name="Danh sách đặt lịch")).to_be_visible()
    no_violations(tab, f"roster at {width}px")
    tab.get_by_role("link", name="Các buổi tiếp").click()
    tab.get_by_role("link", name="Ghi tiếp công dân trực tiếp").click()
    no_violations(tab, f"walk-in form at {width}px")
    tab.get_by_label("Họ và tên công dân").fill("Nguyễn Thị Hoa")
    tab.get_by_label("Địa chỉ").fill("Thôn Đông, xã Minh Hòa")
    tab.get_by_label("Nội dung (ít nhất 10 ký tự)").fill("Đề nghị lắp đèn đường thôn Đông")
    tab.get_by_role("button", name="Xem lại trước khi lưu").click()
    expect(tab.get_by_role("heading", name="Kiểm tra trước khi lưu vào sổ")).to_be_visible()
    no_violations(tab, f"walk-in read-back at {width}px")
    tab.get_by_role("button", name="Lưu vào sổ tiếp công dân").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã ghi vào sổ tiếp công dân")
    with tab.expect_download() as printed:
        tab.get_by_role("button", name="Tải Sổ tiếp công dân (DOCX)").click()
    assert printed.value.suggested_filename.startswith("Sổ tiếp công dân ")

    tab.get_by_role("link", name="Báo cáo", exact=True).click()
    expect(tab.get_by_role("heading", name="Báo cáo", exact=True)).to_be_visible()
    no_violations(tab, f"reports at {width}px")
    tab.get_by_role("radio", name="Cả năm").check()
    tab.get_by_role("button", name="Xem số liệu").click()
    expect(tab.get_by_role("heading", name="Xã Minh Hòa: từ ngày 01/01/")).to_be_visible()
    expect(tab.get_by_role("main")).to_contain_text("Tiếp nhận, xử lý đơn thư theo loại đơn")
    chart = tab.get_by_role("img", name=re.compile("Biểu đồ cột theo tháng"))
    expect(chart).to_be_visible()
    tab.wait_for_load_state("load")  # the chart is drawn on request
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")
    no_violations(tab, f"report figures at {width}px")
    with tab.expect_download() as downloaded:
        tab.get_by_role("link", name="Tải bảng số liệu (XLSX)").click()
    assert downloaded.value.suggested_filename.endswith(".xlsx")
    tab.get_by_role("radio", name="Từ ngày đến ngày").check()
    tab.get_by_label("Từ ngày", exact=True).fill("2026-11-20")
    tab.get_by_label("Đến ngày", exact=True).fill("2026-10-01")
    tab.get_by_role("button", name="Xem số liệu").click()
    expect(tab.get_by_role("alert")).to_contain_text("đang sau ngày kết thúc")
    no_violations(tab, f"report period refused at {width}px")

    tab.goto(f"{served.url}/desk/nguoi-dung")
    expect(tab.get_by_role("heading", name="Không có quyền xem trang này")).to_be_visible()
    no_violations(tab, f"forbidden at {width}px")

    tab.get_by_role("button", name="Đăng xuất").click()
    expect(tab.get_by_role("heading", name="Đã đăng xuất")).to_be_visible()
    no_violations(tab, f"logged out at {width}px")
    tab.goto(f"{served.url}/desk/don")
    expect(tab.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    no_violations(tab, f"login needed at {width}px")
    # The spent link says so on opening, with no button that could only fail.
    tab.goto(link)
    expect(
        tab.get_by_role("heading", name="Đường dẫn đăng nhập đã được dùng hoặc đã hết hạn")
    ).to_be_visible()
    expect(tab.get_by_role("button", name="Đăng nhập")).to_have_count(0)
    no_violations(tab, f"spent link at {width}px")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_admin_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, width: int, cli_env: dict[str, str]
) -> None:
    invited = subprocess.run(
        [*DCCS, *INVITE_ADMIN],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert invited.returncode == 0, invited.stderr
    code = invited.stdout.split("Mã mời: ")[1].split()[0]
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(chat_link(tab, served, code))
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.get_by_role("banner")).to_contain_text("Phạm Thị D")
    tab.get_by_role("link", name="Người dùng").click()
    expect(tab.get_by_role("heading", name="Người dùng")).to_be_visible()
    no_violations(tab, f"people at {width}px")
    tab.get_by_label("Họ tên").fill("Trần Thị B")
    tab.get_by_role("button", name="Tạo mã mời").click()
    expect(tab.get_by_role("status")).to_contain_text("Mã mời:")
    no_violations(tab, f"invite made at {width}px")
    # The code waits in the list (never shown again) until redeemed or cancelled.
    expect(tab.get_by_role("region", name="Mã mời đang chờ")).to_contain_text("Trần Thị B")
    tab.get_by_role("button", name=re.compile("Huỷ mã")).first.click()
    expect(tab.get_by_role("status")).to_contain_text("Đã huỷ mã mời")
    no_violations(tab, f"invite cancelled at {width}px")
    tab.get_by_role("button", name=re.compile("Thu hồi")).first.click()
    expect(tab.get_by_role("heading", name="Xác nhận: thu hồi vai trò")).to_be_visible()
    no_violations(tab, f"revoke confirmation at {width}px")
    tab.get_by_role("link", name="Quay lại, không làm gì").click()
    tab.get_by_role("link", name="Nhật ký").click()
    expect(tab.get_by_role("heading", name="Nhật ký thao tác")).to_be_visible()
    expect(tab.get_by_role("table")).to_contain_text("Tạo mã mời")
    no_violations(tab, f"audit log at {width}px")
    tab.goto(f"{tab.url}?tu=01/01/0001")
    expect(tab.get_by_role("alert")).to_contain_text("năm từ 2000 đến 2100")
    no_violations(tab, f"audit log with a date refused at {width}px")
    tab.goto(tab.url.replace("/desk/nhat-ky", "/desk/so-theo-doi-don"))
    expect(tab.get_by_role("alert")).to_contain_text("năm từ 2000 đến 2100")
    expect(tab.get_by_label("Từ ngày (ngày/tháng/năm)")).to_have_value("01/01/0001")
    no_violations(tab, f"register with a date refused at {width}px")
    tab.get_by_role("link", name="Kho câu hỏi").click()
    expect(tab.get_by_role("heading", name="Kho câu hỏi")).to_be_visible()
    no_violations(tab, f"knowledge base at {width}px")
    tab.get_by_role("table").get_by_role("link").first.click()
    expect(tab.get_by_role("heading", name="Người dân sẽ thấy")).to_be_visible()
    no_violations(tab, f"knowledge base entry at {width}px")
    tab.get_by_role("button", name="Lưu").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã lưu")
    no_violations(tab, f"knowledge base entry saved at {width}px")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_reception_calendar_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, width: int
) -> None:
    """An official keeps the calendar, moves and cancels a session, and turns a walk-in into a
    đơn; every page on the way, errors included, passes axe-core."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(chat_link(tab, served))
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.get_by_role("link", name="Tiếp công dân").click()
    tab.get_by_role("link", name="Lịch tiếp định kỳ").click()
    expect(tab.get_by_role("heading", name="Lịch tiếp định kỳ")).to_be_visible()
    no_violations(tab, f"calendar at {width}px")

    tab.get_by_role("link", name="Thêm lịch tiếp định kỳ").click()
    no_violations(tab, f"new schedule at {width}px")
    tab.get_by_label("Địa điểm").fill("Phòng tiếp công dân UBND xã")
    tab.get_by_label("Ai tiếp, việc gì").fill("Chủ tịch UBND xã")
    tab.get_by_role("button", name="Xem lại trước khi lưu").click()
    expect(tab.get_by_text(texts.CAL_NO_WEEKDAY)).to_be_visible()
    no_violations(tab, f"new schedule with an error at {width}px")
    tab.get_by_label("Thứ 5").check()
    tab.get_by_role("button", name="Xem lại trước khi lưu").click()
    expect(tab.get_by_text("Thứ 5 hằng tuần")).to_be_visible()
    no_violations(tab, f"schedule read-back at {width}px")
    tab.get_by_role("button", name="Lưu lịch tiếp định kỳ").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã thêm lịch tiếp định kỳ")
    tab.get_by_role("combobox", name=re.compile("Người tiếp")).first.select_option(index=1)
    tab.get_by_role("button", name=re.compile("Lưu người tiếp")).first.click()
    expect(tab.get_by_role("status")).to_contain_text("là người tiếp của lịch này")
    no_violations(tab, f"calendar with a receiver at {width}px")

    tab.get_by_role("link", name="Thêm buổi tiếp một lần").click()
    tab.get_by_label("Ngày tiếp").fill("2026-12-09")
    tab.get_by_label("Giờ bắt đầu").fill("15:00")
    tab.get_by_label("Giờ kết thúc").fill("16:30")
    tab.get_by_label("Địa điểm").fill("Hội trường thôn Đông")
    tab.get_by_label("Ai tiếp, việc gì").fill("Phó Chủ tịch UBND xã")
    no_violations(tab, f"new one-off at {width}px")
    tab.get_by_role("button", name="Xem lại trước khi lưu").click()
    no_violations(tab, f"one-off read-back at {width}px")
    tab.get_by_role("button", name="Lưu buổi tiếp").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã thêm buổi tiếp")

    tab.get_by_role("link", name="15:00–16:30 09/12/2026").click()
    expect(tab.get_by_role("heading", name="Dời buổi tiếp")).to_be_visible()
    no_violations(tab, f"roster with the calendar forms at {width}px")
    tab.get_by_role("combobox", name="Người tiếp buổi này").select_option(index=1)
    tab.get_by_role("button", name="Lưu người tiếp").click()
    expect(tab.get_by_role("status")).to_contain_text("là người tiếp buổi")
    tab.get_by_label("Ngày mới").fill("2026-12-11")
    tab.get_by_label("Giờ bắt đầu mới").fill("14:00")
    tab.get_by_label("Lý do dời").fill("Hội trường thôn Đông đang sửa mái")
    tab.get_by_role("button", name="Dời buổi tiếp…").click()
    expect(tab.get_by_role("heading", name="Xác nhận: dời buổi tiếp")).to_be_visible()
    no_violations(tab, f"move confirmation at {width}px")
    tab.get_by_role("button", name="Xác nhận dời buổi tiếp").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã dời buổi tiếp")
    tab.get_by_role("button", name="Huỷ buổi tiếp…").click()
    no_violations(tab, f"cancel confirmation at {width}px")
    tab.get_by_label("Lý do huỷ").fill("Trùng lịch họp Hội đồng nhân dân xã")
    tab.get_by_role("button", name="Xác nhận huỷ buổi tiếp").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã huỷ buổi tiếp")

    tab.get_by_role("link", name="Ghi tiếp công dân trực tiếp").click()
    tab.get_by_label("Họ và tên công dân").fill("An")
    tab.get_by_label("Số điện thoại").fill("12345")
    tab.get_by_label("Địa chỉ").fill("Thôn Đông, xã Minh Hòa")
    tab.get_by_label("Loại việc").select_option("khieu_nai")
    tab.get_by_label("Nội dung (ít nhất 10 ký tự)").fill("Khiếu nại quyết định xử phạt số 12")
    tab.get_by_role("button", name="Xem lại trước khi lưu").click()
    expect(tab.get_by_text(texts.WALK_IN_BAD_PHONE)).to_be_visible()
    no_violations(tab, f"walk-in with errors at {width}px")
    tab.get_by_label("Họ và tên công dân").fill("Phạm Văn Cường")
    tab.get_by_label("Số điện thoại").fill("0912 345 678")
    tab.get_by_role("button", name="Xem lại trước khi lưu").click()
    expect(tab.get_by_text("0912345678")).to_be_visible()
    tab.get_by_role("button", name="Lưu vào sổ tiếp công dân").click()
    tab.get_by_role("link", name=re.compile("Tạo đơn từ lượt tiếp")).click()
    expect(tab.get_by_role("heading", name=re.compile("Tạo đơn từ lượt tiếp"))).to_be_visible()
    no_violations(tab, f"đơn from a reception at {width}px")
    tab.get_by_role("button", name="Xem lại trước khi tạo đơn").click()
    no_violations(tab, f"đơn read-back at {width}px")
    tab.get_by_role("button", name="Tạo đơn").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã tạo đơn KN-")
    no_violations(tab, f"đơn created at {width}px")


BAD_PLAN = """\
- title: Báo cáo quý về dân chủ cơ sở
  unit: Xã Minh Hòa
  recurrence: "quarterly:3:18"
- title: Báo cáo hằng tháng
  unit: Xã Minh Hòa
  recurrence: "monthly:40"
""".encode()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_deadline_and_knowledge_base_forms_have_no_accessibility_violations(
    served: Served, browser: Browser, width: int, cli_env: dict[str, str]
) -> None:
    invited = subprocess.run(
        [*DCCS, *INVITE_ADMIN], env=cli_env, capture_output=True, text=True, timeout=120
    )
    assert invited.returncode == 0, invited.stderr
    code = invited.stdout.split("Mã mời: ")[1].split()[0]
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(chat_link(tab, served, code))
    tab.get_by_role("button", name="Đăng nhập").click()
    expect(tab.get_by_role("banner")).to_contain_text("Phạm Thị D")

    tab.get_by_role("link", name="Hạn báo cáo", exact=True).click()
    tab.get_by_role("link", name="Thêm hạn báo cáo").click()
    expect(tab.get_by_role("heading", name="Thêm hạn báo cáo")).to_be_visible()
    no_violations(tab, f"new deadline at {width}px")
    tab.get_by_label("Tên việc (5 đến 300 ký tự)").fill("Báo cáo quý kiểm tra trên trình duyệt")
    tab.get_by_role("radio", name=re.compile("Hằng quý")).check()
    tab.get_by_label("Tháng thứ mấy của quý").select_option("3")
    tab.get_by_label("Ngày (hạn hằng quý)").select_option("18")
    tab.get_by_role("button", name="Thêm hạn").click()
    expect(tab.get_by_role("status")).to_contain_text("Lần hạn tới:")
    no_violations(tab, f"deadline added at {width}px")
    tab.get_by_role("link", name="Báo cáo quý kiểm tra trên trình duyệt").first.click()
    expect(tab.get_by_role("heading", name=re.compile("Sửa hạn"))).to_be_visible()
    no_violations(tab, f"deadline edit at {width}px")
    tab.get_by_role("button", name="Xoá hạn…").click()
    expect(tab.get_by_role("heading", name="Xác nhận: xoá hạn báo cáo")).to_be_visible()
    no_violations(tab, f"deadline delete confirmation at {width}px")
    tab.get_by_role("button", name="Xác nhận: xoá hạn").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã xoá hạn")
    tab.get_by_role("button", name=re.compile("Đánh dấu đã nộp")).first.click()
    tab.get_by_role("button", name=re.compile("Bỏ đánh dấu")).first.click()
    expect(tab.get_by_role("status")).to_contain_text("Đã bỏ đánh dấu đã nộp")
    no_violations(tab, f"deadline done undone at {width}px")
    tab.get_by_role("link", name="Nạp kế hoạch từ tệp").click()
    no_violations(tab, f"deadline import at {width}px")
    tab.get_by_label("Tệp kế hoạch (.yaml, .xlsx)").set_input_files(
        files=FilePayload(name="ke-hoach.yaml", mimeType="application/x-yaml", buffer=BAD_PLAN)
    )
    tab.get_by_role("button", name="Nạp tệp").click()
    expect(tab.get_by_role("alert")).to_contain_text("Hạn thứ 2")
    no_violations(tab, f"deadline import problems at {width}px")

    tab.get_by_role("link", name="Kho câu hỏi").click()
    tab.get_by_role("link", name="Thêm mục mới").click()
    expect(tab.get_by_role("heading", name="Thêm mục mới vào kho câu hỏi")).to_be_visible()
    no_violations(tab, f"new entry at {width}px")
    tab.get_by_label("Chủ đề").fill("Kiểm tra trên trình duyệt")
    tab.get_by_label("Nhóm trong danh mục").fill("Khác")
    tab.get_by_label("Cách hỏi (mỗi dòng một câu, ít nhất 2)").fill(
        "Trình duyệt kiểm tra thế nào?\nKiểm tra trang bằng trình duyệt ra sao?"
    )
    tab.get_by_label(re.compile("Câu trả lời")).fill(
        "Trang được kiểm tra bằng trình duyệt thật và công cụ axe-core."
    )
    tab.get_by_label(re.compile("Nguồn")).fill("Luật Tiếp công dân | 42/2013/QH13 | Điều 3")
    tab.get_by_role("button", name="Xem trước").click()
    expect(tab.get_by_role("region", name="Người dân sẽ thấy")).to_contain_text("Căn cứ:")
    no_violations(tab, f"new entry preview at {width}px")
    tab.get_by_role("button", name="Tạo mục").click()
    expect(tab.get_by_role("status")).to_contain_text("Đã tạo mục")
    tab.get_by_role("link", name=re.compile("Xem từng thay đổi")).click()
    expect(tab.get_by_role("heading", name=re.compile("Lịch sử thay đổi"))).to_be_visible()
    no_violations(tab, f"entry history at {width}px")
    tab.goto(f"{served.url}/desk/kho-cau-hoi/nhap")
    no_violations(tab, f"knowledge base import at {width}px")
    tab.get_by_label(re.compile("Tệp kho câu hỏi")).set_input_files(
        files=FilePayload(name="kho.yaml", mimeType="application/x-yaml", buffer=b"- id: x\n")
    )
    tab.get_by_role("button", name="Nạp tệp").click()
    expect(tab.get_by_role("alert")).to_contain_text("Mục 1")
    no_violations(tab, f"knowledge base import problems at {width}px")
    context.close()


def test_an_official_without_a_name_is_asked_for_it_and_the_banner_passes_axe(
    served: Served, browser: Browser, cli_env: dict[str, str]
) -> None:
    invited = subprocess.run(
        [*DCCS, "users", "invite", "--role", "official", "--unit", "Xã Minh Hòa"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert invited.returncode == 0, invited.stderr
    code = invited.stdout.split("Mã mời: ")[1].split()[0]
    context = browser.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    tab.goto(chat_link(tab, served, code))
    tab.get_by_role("button", name="Đăng nhập").click()
    asked = tab.get_by_role("region", name="Tên của anh/chị")
    expect(asked).to_be_visible()
    no_violations(tab, "the name banner at 390px")
    tab.get_by_role("button", name="Lưu tên").click()  # empty: the browser asks first
    expect(asked).to_be_visible()
    tab.get_by_label("Họ và tên", exact=True).fill("Đỗ Thị Hạnh")
    tab.get_by_role("button", name="Lưu tên").click()
    expect(tab.get_by_role("status")).to_contain_text("Đỗ Thị Hạnh")
    expect(tab.get_by_role("banner")).to_contain_text("Đỗ Thị Hạnh")
    expect(asked).to_have_count(0)
    no_violations(tab, "the name saved at 390px")
