"""Every Vietnamese sentence the assistant says, in one place.

Voice (DESIGN.md): the assistant is "Trợ lý", addresses people as "anh/chị", answers first,
short plain sentences, dates dd/mm/yyyy, never invents.

Size: a catalogue, long by design; one file keeps the voice consistent and is what a reviewer
of the Vietnamese reads end to end.
"""

from __future__ import annotations

ASSISTANT_NAME = "Trợ lý dân chủ cơ sở"

_HELP = (
    "trả lời câu hỏi về dân chủ ở cơ sở, tiếp công dân, khiếu nại, tố cáo, kiến nghị, phản ánh. "
    'Anh/chị gõ câu hỏi, ví dụ: "thời hiệu khiếu nại là bao lâu", hoặc chọn một mục bên dưới.'
)
GREETING = "Xin chào anh/chị. Trợ lý dân chủ cơ sở " + _HELP
GREETING_FOR_UNIT = "Xin chào anh/chị. Đây là Trợ lý dân chủ cơ sở của {unit}. Trợ lý " + _HELP

MENU_PROMPT = "Anh/chị cần gì? Chọn một mục hoặc gõ câu hỏi."
MENU_ASK = "Hỏi về pháp luật"
MENU_RECEPTION = "Đăng ký tiếp công dân"
MENU_PETITION = "Gửi đơn thư"
MENU_STATUS = "Tra cứu đơn"
MENU_BACK = "Về menu chính"

TOPIC_LIST = "Các câu hỏi về {topic}. Chọn một câu, hoặc gõ câu hỏi của anh/chị."
ASK_PROMPT = (
    "Anh/chị gõ câu hỏi bằng lời của mình, có dấu hay không dấu đều được, ví dụ: "
    '"hương ước thôn được thông qua khi nào". Hoặc chọn một chủ đề để xem các câu hỏi.'
)

READBACK = "Có phải anh/chị muốn hỏi một trong những điều sau? Chọn câu đúng nhất."
READBACK_NONE = "Không phải các câu trên"
READBACK_REPHRASE = (
    "Trợ lý chưa hiểu đúng câu hỏi. Anh/chị thử hỏi lại ngắn gọn hơn, hoặc liên hệ bộ phận "
    "tiếp công dân của UBND xã, phường để được hướng dẫn trực tiếp."
)

# The four kinds of "I can't answer" (issue 17), each with the next step that fits.
DECLINE_OFF_TOPIC = (
    "Xin lỗi anh/chị, việc này Trợ lý không trả lời được. Trợ lý giúp người dân hỏi về dân chủ ở "
    "cơ sở, tiếp công dân, khiếu nại, tố cáo, kiến nghị, phản ánh; đặt lịch tiếp công dân; gửi "
    "đơn và tra cứu đơn. Anh/chị chọn một mục bên dưới nếu cần."
)
DECLINE_UNCLEAR = (
    "Anh/chị muốn hỏi hay cần làm việc gì? Anh/chị chọn một mục bên dưới, hoặc gõ cụ thể hơn, "
    'ví dụ: "khiếu nại bao lâu thì có kết quả".'
)
DECLINE_PROCEDURE = (
    "Đây là thủ tục hành chính, Trợ lý không hướng dẫn được. Anh/chị làm thủ tục này tại bộ phận "
    "một cửa (Trung tâm Phục vụ hành chính công) của UBND xã, phường nơi mình cư trú, hoặc trực "
    "tuyến trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)."
)
DECLINE_PROCEDURE_AT = (
    "Đây là thủ tục hành chính, Trợ lý không hướng dẫn được. Anh/chị làm thủ tục này tại bộ phận "
    "một cửa (Trung tâm Phục vụ hành chính công) của {office}, hoặc trực tuyến trên Cổng Dịch vụ "
    "công quốc gia (dichvucong.gov.vn)."
)
OFFICE_ADDRESS = "Địa chỉ: {value}."
OFFICE_HOURS = "Giờ làm việc: {value}."
OFFICE_PHONE = "Điện thoại: {value}."
DECLINE_IN_DOMAIN = {
    "neighbourhood": (
        "Trợ lý chưa có câu trả lời soạn sẵn cho việc này. Đường sá, rác, ngập nước, ô nhiễm, "
        "trật tự nơi mình ở là những việc anh/chị có quyền phản ánh, kiến nghị để UBND xã xem xét "
        "và trả lời."
    ),
    "conduct": (
        "Trợ lý chưa có câu trả lời soạn sẵn cho việc này. Nếu cán bộ có thái độ hoặc việc làm "
        "không đúng khi làm việc với anh/chị, anh/chị có thể phản ánh, hoặc tố cáo nếu đó là hành "
        "vi vi phạm pháp luật, và có thể gặp lãnh đạo xã tại buổi tiếp công dân."
    ),
    "waiting": (
        "Trợ lý chưa có câu trả lời soạn sẵn cho việc này. Nếu đơn của anh/chị đã quá thời hạn mà "
        "chưa được trả lời, anh/chị có thể tra cứu tình trạng đơn, hỏi lại nơi đã nhận đơn, hoặc "
        "gặp lãnh đạo xã tại buổi tiếp công dân."
    ),
    "land": (
        "Trợ lý không tư vấn riêng từng vụ việc đất đai, vì cần xem hồ sơ cụ thể. Anh/chị có thể "
        "gửi đơn: khiếu nại nếu cho rằng quyết định, việc làm của cơ quan nhà nước trái pháp luật "
        "và xâm phạm quyền lợi của mình; kiến nghị, phản ánh nếu muốn xã xem xét. Anh/chị cũng có "
        "thể gặp trực tiếp lãnh đạo xã tại buổi tiếp công dân."
    ),
    "money": (
        "Trợ lý chưa có câu trả lời soạn sẵn cho việc này. Các khoản Nhân dân đóng góp phải được "
        "công khai; anh/chị có thể yêu cầu xã cung cấp thông tin, gửi kiến nghị, hoặc gặp lãnh đạo "
        "xã tại buổi tiếp công dân."
    ),
    "": (
        "Trợ lý chưa có câu trả lời soạn sẵn cho câu hỏi này. Anh/chị có thể gửi kiến nghị, phản "
        "ánh để UBND xã trả lời, hoặc gặp cán bộ tại buổi tiếp công dân."
    ),
}
# Before the in-domain decline of a long message: it was read, and it matters.
DECLINE_LONG_LEAD = "Trợ lý đã đọc kỹ nội dung anh/chị kể."
OFFER_PETITION = "Gửi đơn, phản ánh"
OFFER_RECEPTION = "Đặt lịch gặp cán bộ"
OFFER_STATUS = "Tra cứu đơn đã gửi"
OFFER_SCHEDULE = "Lịch tiếp công dân"
OFFER_TOPICS = "Xem các câu hỏi"
UNCLEAR = (
    "Trợ lý chưa đọc được nội dung tin nhắn. Anh/chị vui lòng gõ câu hỏi bằng chữ, hoặc chọn "
    "một mục bên dưới."
)
TOO_LONG = (
    "Tin nhắn dài quá {limit} ký tự nên Trợ lý chưa xử lý được. Anh/chị vui lòng gửi ngắn gọn "
    "hơn, chia thành nhiều tin nếu cần."
)
# In a form a second message would be read as the next answer: never advise splitting there.
TOO_LONG_IN_FORM = (
    "Tin nhắn dài quá {limit} ký tự nên Trợ lý chưa lưu. Anh/chị tóm tắt lại trong một tin "
    "(không quá {limit} ký tự); giấy tờ dài có thể chụp ảnh gửi kèm ở bước ảnh, giấy tờ."
)
STALE_BUTTON = (
    "Nút này thuộc một tin nhắn cũ hoặc không còn hiệu lực. Anh/chị chọn lại từ menu bên dưới."
)
UNKNOWN_COMMAND = "Trợ lý không có lệnh này. Anh/chị chọn một mục bên dưới hoặc gõ câu hỏi."
ENTRY_GONE = "Nội dung này hiện không còn. Anh/chị vui lòng hỏi lại."
THANKS = "Trợ lý cảm ơn anh/chị. Anh/chị cần hỏi thêm gì cứ nhắn."

SEE_ALSO_SCHEDULE = "Xem quy định về lịch tiếp"
SEE_ALSO_LETTER = "Đơn cần ghi những gì"

CONSOLE_BANNER = "Trợ lý dân chủ cơ sở (chế độ dòng lệnh). Gõ câu hỏi; gõ 'thoat' để thoát."
CONSOLE_PICK = "Gõ {number} để: {label}"

ROLE_NAMES = {"official": "cán bộ", "admin": "quản trị viên"}
ROLE_GRANTED = (
    "Anh/chị đã nhận vai trò {role} của {unit}. Các chức năng dành cho cán bộ có trong mục "
    '"Việc của cán bộ".'
)
CODE_WRONG = "Mã không đúng, đã hết hạn hoặc đã được dùng. Anh/chị kiểm tra lại mã."
CODE_SLOWED = "Mã đã bị nhập sai nhiều lần. Anh/chị vui lòng thử lại sau {wait}."
WAIT_MINUTES = "{n} phút"
WAIT_HOURS = "{n} giờ"
CODE_GUESSING_ALERT = (
    "Cảnh báo: có người nhập sai mã mời hoặc mã tra cứu đơn nhiều lần liên tiếp (kênh {channel}). "
    "Trợ lý đã làm chậm các lần thử tiếp theo; không cần làm gì nếu anh/chị không thấy bất thường."
)
CODE_PRIVATE_ONLY = "Vì an toàn, mã chỉ dùng được trong tin nhắn riêng với Trợ lý."
LINKED = "Đã liên kết kênh này với tài khoản của anh/chị."
LINK_CODE = (
    "Mã liên kết của anh/chị là {code}, dùng được trong 15 phút. Gửi mã này cho Trợ lý trên "
    "kênh khác (Zalo, Telegram hoặc trang web) để dùng chung một tài khoản."
)
STAFF_MENU_BUTTON = "Việc của cán bộ"
STAFF_MENU = "Các chức năng dành cho cán bộ, công chức. Anh/chị chọn một mục."
STAFF_WHOAMI_BUTTON = "Vai trò của tôi"
DESK_OPEN_BUTTON = "Mở trang làm việc"
DESK_LINK = (
    "Đường dẫn đăng nhập trang làm việc (dùng một lần, hết hạn sau 10 phút):\n{url}\n"
    'Mở trên máy tính hoặc điện thoại của anh/chị rồi bấm "Đăng nhập". Không chuyển đường dẫn '
    "này cho người khác."
)
DESK_NO_URL = (
    "Trang làm việc chưa có địa chỉ công khai (DCCS_PUBLIC_URL). Anh/chị nhờ cán bộ phụ trách "
    "công nghệ thông tin cấu hình, hoặc dùng lệnh dccs users login-link."
)
STAFF_WHOAMI = "Anh/chị là {roles}. Số tài khoản của anh/chị: #{person}."
STAFF_RECEPTION = "Lịch tiếp công dân"
STAFF_PETITIONS = "Hàng đợi đơn thư"
STAFF_DEADLINES = "Hạn báo cáo"
STAFF_REPORTS = "Số liệu báo cáo"
KB_ADMIN_BUTTON = "Quản lý kho câu hỏi"
FORBIDDEN = "Chức năng này chỉ dành cho cán bộ được giao. Anh/chị chọn mục khác trong menu."
STAFF_PRIVATE_ONLY = "Chức năng của cán bộ chỉ dùng được trong tin nhắn riêng với Trợ lý."

PICK_UNIT_ASK = "Anh/chị ở xã, phường nào? Gõ tên xã, phường; tên cũ trước khi sáp nhập cũng được."
PICK_UNIT_DONE = "Trợ lý đã ghi nhận anh/chị thuộc {unit}."
PICK_UNIT_CHOOSE = "Có nhiều nơi gần giống tên anh/chị gõ. Anh/chị chọn đúng xã, phường:"
PICK_UNIT_NONE = (
    'Trợ lý không tìm thấy xã, phường có tên như vậy. Anh/chị gõ lại tên, hoặc chọn "Về menu '
    'chính".'
)
NO_UNITS = "Hệ thống chưa có danh sách xã, phường."
# Old addresses and the 2025 units (handlers/units/pick.py).
UNIT_MOVED = "{old} (cũ) nay thuộc {new}."
UNIT_SPLIT = "{old} (cũ) nay chia về {parts}, {province}; phần lớn thuộc {main}."
UNIT_DISTRICT_SPLIT = "{district} (cũ) nay chia về các xã, phường: {parts} ({province})."
PICK_UNIT_WHICH_PART = "Anh/chị ở phần nào? Chọn xã, phường, hoặc gõ thêm tên thôn, ấp."
PICK_UNIT_WHICH_COMMUNE = "Anh/chị ở xã, phường nào? Gõ tên xã cũ hoặc mới."
PICK_UNIT_SEVERAL = (
    "Tên này có ở nhiều nơi:\n{places}\nAnh/chị chọn nếu có nơi của mình, hoặc gõ thêm tên "
    "huyện, tỉnh cũ, ví dụ: {example}."
)
PICK_UNIT_MORE = "và {count} nơi khác"
PLACE_LINE = "- {old} (cũ): nay thuộc {new}"
PLACE_LINE_NOW = "- {new}"
UNIT_NOT_SERVED = (
    "{unit} chưa có trên Trợ lý này; anh/chị vẫn hỏi đáp, đặt lịch tiếp công dân và gửi đơn "
    "tại đây được. Nơi giải quyết đơn không tính theo nơi anh/chị ở: khiếu nại gửi người đã ra "
    "quyết định hoặc cơ quan có người có hành vi bị khiếu nại (Điều 7 Luật Khiếu nại 2011; luật "
    "này được sửa đổi, bổ sung từ 01/7/2026), tố cáo gửi cơ quan, tổ chức quản lý người bị tố "
    "cáo (Điều 12 Luật Tố cáo 2018). Việc thuộc {unit_lower} thì anh/chị "
    "liên hệ UBND {unit_lower}, {province}."
)
ADDRESS_SEVERAL = (
    "Lưu ý: {name} (cũ) có ở nhiều nơi ({places}); anh/chị ghi thêm huyện, tỉnh để cán bộ "
    "xác định đúng."
)
OFFICIAL_ADDRESS = "{street}{new} (cũ: {old})"
OFFICIAL_ADDRESS_OR = " hoặc "

KB_ADMIN_MENU = "Quản lý kho câu hỏi. Anh/chị chọn việc cần làm."
KB_ADD = "Thêm mục mới"
KB_FIND = "Tìm mục để sửa"
KB_GAPS = "Câu hỏi chưa trả lời được"
KB_ASK_QUESTIONS = (
    "Bước 1/5. Gõ ít nhất 2 cách hỏi của người dân, mỗi cách một dòng hoặc cách nhau bằng "
    "dấu chấm phẩy (;)."
)
KB_ASK_ANSWER = "Bước 2/5. Gõ câu trả lời (tối đa 900 ký tự), câu đầu trả lời thẳng vào câu hỏi."
KB_ASK_SOURCES = (
    "Bước 3/5. Gõ căn cứ pháp lý theo mẫu: Tên văn bản | Số hiệu | Điều, khoản. Nhiều căn cứ "
    "thì cách nhau bằng dấu chấm phẩy. Ví dụ: Luật Khiếu nại | 02/2011/QH13 | Điều 9"
)
KB_ASK_TOPIC = "Bước 4/5. Gõ tiêu đề ngắn của mục, ví dụ: Thời hiệu khiếu nại."
KB_ASK_GROUP = "Bước 5/5. Chọn chủ đề, hoặc gõ tên chủ đề mới."
KB_NEED_TWO = "Cần ít nhất 2 cách hỏi. Anh/chị gõ lại, cách nhau bằng dấu chấm phẩy (;)."
KB_BAD_SOURCE = (
    'Căn cứ "{source}" chưa đúng mẫu: Tên văn bản | Số hiệu | Điều, khoản. Anh/chị gõ lại.'
)
KB_PREVIEW = "Xem trước mục sẽ lưu:\n\n{preview}"
# A typed answer that a step cannot take: said at that step, and what was typed before is kept.
KB_STEP_PROBLEM = "{label}: {problem}. Anh/chị gõ lại; các bước trước vẫn được giữ."
KB_ANSWER_TOO_LONG = (
    "Câu trả lời dài {length} ký tự, quá giới hạn {limit} ký tự. Anh/chị rút gọn rồi gõ lại; "
    "các bước trước vẫn được giữ."
)
KB_NEED_SOURCE = (
    "Mỗi mục cần ít nhất một căn cứ pháp lý để người dân biết câu trả lời dựa vào đâu. "
    "Anh/chị gõ theo mẫu: Tên văn bản | Số hiệu | Điều, khoản."
)
KB_NOW_TYPED = "Đang ghi: {value}"
KB_FIELD_LABELS = {
    "questions": "Cách hỏi",
    "answer": "Câu trả lời",
    "sources": "Căn cứ",
    "topic": "Tiêu đề",
    "group": "Chủ đề",
}
KB_SOURCE_PARTS = {"law": "tên văn bản", "number": "số hiệu", "article": "điều, khoản"}
KB_SAVE = "Lưu"
KB_SAVED = "Đã lưu mục {id}. Các tiến trình sẽ dùng nội dung mới sau vài giây."
KB_CANCELLED = "Đã huỷ, không có gì thay đổi."
KB_NOT_SAVED = "Chưa lưu được: {error}"
KB_ASK_WORDS = "Gõ vài từ trong câu hỏi hoặc tiêu đề của mục cần tìm."
KB_FOUND = "Các mục tìm được. Chọn một mục để xem và sửa."
KB_NOT_FOUND = "Không tìm thấy mục nào có các từ đó. Anh/chị thử từ khác."
KB_ENTRY = "{id} ({status})\nTiêu đề: {topic}\nCách hỏi: {questions}\n\n{answer}\n\n{citation}"
KB_EDIT_ANSWER = "Sửa câu trả lời"
KB_EDIT_QUESTIONS = "Sửa cách hỏi"
KB_EDIT_SOURCES = "Sửa căn cứ"
KB_HIDE = "Ẩn mục này"
KB_SHOW = "Hiện lại mục này"
KB_REVERT = "Hoàn tác lần sửa gần nhất"
KB_BACK = "Về quản lý kho câu hỏi"
KB_ASK_NEW = {
    "answer": "Gõ câu trả lời mới (tối đa 900 ký tự).",
    "questions": "Gõ các cách hỏi mới, cách nhau bằng dấu chấm phẩy (;). Cần ít nhất 2.",
    "sources": "Gõ căn cứ mới: Tên văn bản | Số hiệu | Điều, khoản; nhiều căn cứ cách nhau bằng ;",
}
KB_HIDDEN = "Đã ẩn mục {id}: Trợ lý sẽ không dùng mục này để trả lời."
KB_SHOWN = "Đã hiện lại mục {id}."
KB_REVERTED = "Đã hoàn tác mục {id} về bản trước."
KB_NO_GAPS = "Chưa có câu hỏi nào Trợ lý chưa trả lời được."
KB_GAPS_LIST = "Những câu người dân hỏi mà Trợ lý chưa trả lời được (số lần hỏi):\n{lines}"
KB_GAP_ADD = "Tạo mục: {sample}"
KB_GAP_DISMISS = "Bỏ qua: {sample}"
KB_GAP_DISMISSED = 'Đã bỏ câu "{sample}" khỏi danh sách: hỏi lại cũng không hiện ra nữa.'
KB_GAP_GONE = "Câu này không còn trong danh sách."
KB_STATUS = {"published": "đang dùng", "draft": "bản nháp", "retired": "đã ẩn"}
ADMIN_ONLY = "Chức năng này chỉ dành cho quản trị viên."

# Channels as citizens know them.
CHANNEL_NAMES = {
    "web": "trang hỏi đáp",
    "telegram": "Telegram",
    "zalo_oa": "Zalo",
    "zalo_bot": "Zalo Bot",
    "console": "cửa sổ dòng lệnh",
}
# A push the channel would not deliver (Zalo lets an Official Account reply only within 7 days
# of the citizen's last message).
REROUTED_NOTE = (
    "(Tin nhắn này được gửi qua đây vì {channel} chỉ cho phép trả lời {window} kể từ tin "
    "nhắn gần nhất của anh/chị.)\n\n"
)
HELD_NOTE = (
    "(Tin nhắn này được soạn lúc {when} nhưng chưa gửi được qua {channel}, vì kênh này chỉ cho "
    "phép trả lời {window} kể từ tin nhắn gần nhất của anh/chị. Nay xin gửi lại.)\n\n"
)
WINDOW_DAYS = "trong {days} ngày"
WINDOW_SOME_TIME = "trong một thời gian nhất định"
ZALO_OA_REFRESH_FAILED = (
    "Cảnh báo: trợ lý không gia hạn được mã truy cập Zalo OA (lỗi: {error}). Tin nhắn Zalo của "
    "người dân đang không trả lời được. Quản trị viên Zalo OA cần cấp quyền lại cho ứng dụng "
    "trong trang quản lý Zalo, rồi cập nhật mã mới."
)
DRAFT_KEPT = 'Phần anh/chị đang điền dở được giữ lại 7 ngày; bấm "Tiếp tục điền" để điền tiếp.'
DRAFT_RESUME = "Tiếp tục điền"
NO_DRAFT = "Không còn phần nào đang điền dở. Anh/chị chọn một mục bên dưới."
FORM_STOPPED = "Đã dừng; chưa có gì được gửi đi."
STEPS_STOPPED = "Đã dừng; những gì vừa nhập chưa được lưu."
# In the conversation a reloaded web page shows back.
HISTORY_HIDDEN = "(Nội dung anh/chị nhập khi làm đơn tố cáo được ẩn để giữ bí mật.)"
HISTORY_HIDDEN_REPLY = "(Trả lời của Trợ lý về đơn tố cáo được ẩn để giữ bí mật.)"
HISTORY_FILES = "(Đã gửi {count} tệp)"
UPDATE_FAILED = (
    "Xin lỗi anh/chị, Trợ lý gặp lỗi nên chưa xử lý được tin nhắn này. Anh/chị vui lòng gõ lại "
    "theo cách khác, hoặc chọn một mục bên dưới."
)
UPDATES_SET_ASIDE = (
    "Cảnh báo: có tin nhắn của người dân mà trợ lý đã thử xử lý {attempts} lần đều lỗi (lần "
    "gần nhất lúc {when}, kênh {channel}). Tin nhắn được giữ lại để xem; các việc khác vẫn chạy "
    "bình thường. Xem danh sách bằng lệnh: dccs inbox failed"
)
ATTACHMENT_NOT_NOW = (
    "Trợ lý chưa nhận ảnh hay tệp ở bước này, nên tệp của anh/chị không được lưu lại. "
    "Anh/chị vui lòng gõ câu hỏi bằng chữ, hoặc chọn một mục bên dưới."
)

# -- Tiếp công dân: booking -----------------------------------------------------------------
RECEPTION_MENU = (
    "Anh/chị có thể đặt lịch đến gặp bộ phận tiếp công dân hoặc lãnh đạo UBND, xem và đổi lịch "
    "đã đặt."
)
RECEPTION_BOOK = "Đặt lịch tiếp công dân"
RECEPTION_MINE = "Lịch hẹn của tôi"
RECEPTION_INFO = "Quy định về tiếp công dân"
RECEPTION_KINDS = {
    "thuong_xuyen": "Tiếp thường xuyên",
    "dinh_ky": "Tiếp định kỳ của lãnh đạo",
    "dot_xuat": "Tiếp đột xuất",
}
MATTER_KINDS = {
    "khieu_nai": "Khiếu nại",
    "to_cao": "Tố cáo",
    "kien_nghi": "Kiến nghị",
    "phan_anh": "Phản ánh",
    "khac": "Việc khác",
}
BACK_STEP = "Quay lại"
QUIT_FLOW = "Huỷ"
NO_SESSIONS = (
    "Hiện chưa có buổi tiếp công dân nào mở đăng ký. Anh/chị có thể đến bộ phận tiếp công dân "
    "tại trụ sở UBND trong giờ hành chính, hoặc hỏi lại sau."
)
PICK_SESSION = "Anh/chị chọn buổi tiếp muốn đăng ký:"
SESSION_LINE = "{day} {start}-{end}: {kind}, {receiver} ({left} chỗ trống)"
SESSION_BUTTON = "{day} {start}: {receiver_title}"
LATER_SESSIONS = "Xem các buổi sau"
EARLIER_SESSIONS = "Các buổi trước"
ALL_SESSIONS = "Xem tất cả các buổi"
SESSIONS_PAGE = (
    "(Trang {page}/{pages}. Anh/chị cũng có thể gõ ngày muốn đến, ví dụ 14/12 hoặc thứ 2 tuần sau.)"
)
SESSION_ON_DAY = "Ngày {day} có một buổi tiếp còn chỗ:\n- {line}\nAnh/chị bấm vào buổi này để chọn."
SESSIONS_ON_DAY = "Ngày {day} có {count} buổi tiếp còn chỗ. Anh/chị chọn một buổi:"
NO_SESSION_ON_DAY = "Ngày {day} không có buổi tiếp nào còn chỗ."
DAY_PASSED = "Ngày {day} đã qua."
NEAREST_BEFORE = "Buổi gần nhất trước ngày đó: {line}"
NEAREST_AFTER = "Buổi gần nhất sau ngày đó: {line}"
NO_SESSION_NEAR = "Không còn buổi nào khác mở đăng ký."
PICK_SESSION_AGAIN = (
    "Anh/chị vui lòng chọn một buổi trong danh sách (bấm nút hoặc gõ số), hoặc gõ ngày muốn "
    "đến, ví dụ 14/12."
)
ASK_NAME = "Anh/chị cho biết họ và tên đầy đủ (ví dụ: Nguyễn Văn An):"
REUSE_DETAILS = (
    "Lần trước anh/chị đã cho biết: {hint} (họ tên, số điện thoại, địa chỉ). Nếu đúng là anh/chị, "
    'bấm "Dùng thông tin lần trước" để khỏi gõ lại.'
)
REUSE_BUTTON = "Dùng thông tin lần trước"
NOT_ME = "Không phải tôi"
BAD_NAME = "Họ tên cần có ít nhất hai chữ và chỉ gồm chữ cái. Anh/chị gõ lại họ và tên:"
ASK_PHONE = "Anh/chị cho biết số điện thoại để cán bộ liên hệ khi cần (ví dụ 0912 345 678):"
SHARE_PHONE = "Chia sẻ số điện thoại"
SHARE_PHONE_PROMPT = "Hoặc bấm nút bên dưới để chia sẻ số điện thoại của tài khoản này."
BAD_PHONE = (
    "Số điện thoại chưa đúng. Số di động có 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
    "(có thể viết +84); số cố định bắt đầu bằng 02 và có 11 chữ số. Anh/chị gõ lại:"
)
ASK_ADDRESS = "Anh/chị cho biết địa chỉ (thôn, tổ dân phố; xã, phường):"
BAD_ADDRESS = "Địa chỉ cần từ 4 đến 300 ký tự. Anh/chị ghi rõ thôn hoặc tổ dân phố và xã, phường:"
SESSION_FIELD = "Buổi tiếp"
ASK_MATTER = (
    "Anh/chị đến để làm gì? Khiếu nại: đề nghị xem xét lại quyết định, hành vi hành chính ảnh "
    "hưởng đến mình. Tố cáo: báo cho cơ quan biết hành vi vi phạm pháp luật của người khác. "
    "Kiến nghị, phản ánh: góp ý, đề xuất, báo tin về việc quản lý, chính sách."
)
ASK_SUMMARY = "Anh/chị tóm tắt ngắn gọn nội dung sự việc (không quá 1.000 ký tự):"
BAD_SUMMARY = "Nội dung quá ngắn hoặc quá dài (từ 10 đến 1.000 ký tự). Anh/chị gõ lại:"
ASK_GROUP = "Có bao nhiêu người cùng đến (tính cả anh/chị)? Gõ một số, ví dụ 1:"
BAD_GROUP = "Anh/chị gõ số người cùng đến, từ 1 đến 200:"
GROUP_RULE = (
    "Lưu ý: nhiều người cùng nội dung phải cử người đại diện bằng văn bản có chữ ký của tất cả "
    "mọi người; từ 5 đến 10 người cử 1 hoặc 2 đại diện, trên 10 người có thể cử thêm nhưng không "
    "quá 5 người (Luật Tiếp công dân số 42/2013/QH13, Điều 29).\n\n"
)
ASK_CONSENT = (
    "{group_rule}Anh/chị kiểm tra lại:\n- Buổi tiếp: {session}\n{fields}\n\n"
    "Để đặt lịch, anh/chị đồng ý cho UBND xử lý các thông tin cá nhân trên vào mục đích tiếp "
    "công dân và giải quyết vụ việc của anh/chị. Thông tin chỉ cán bộ có trách nhiệm được xem."
)
CONSENT_YES = "Tôi đồng ý, đặt lịch"
EDIT_ONE = "Sửa một mục"
PICK_FIELD = "Anh/chị muốn sửa mục nào?"
BOOKING_FIELDS = {
    "name": "Họ tên",
    "phone": "Điện thoại",
    "address": "Địa chỉ",
    "matter": "Loại việc",
    "summary": "Nội dung",
    "group": "Số người",
}
CONSENT_NO = "Không đồng ý"
CONSENT_REFUSED = (
    "Trợ lý chưa đặt lịch và không lưu các thông tin anh/chị vừa nhập. Anh/chị vẫn có thể đến "
    "trực tiếp bộ phận tiếp công dân trong giờ hành chính."
)
BOOKING_QUIT = "Đã huỷ việc đặt lịch; các thông tin vừa nhập không được lưu."
BOOKING_MOVE_QUIT = "Đã thôi đổi lịch. Lịch hẹn {code} vẫn giữ nguyên như cũ."
SESSION_FULL = "Buổi tiếp này vừa hết chỗ. Anh/chị chọn buổi khác:"
TOO_MANY_BOOKINGS = (
    "Anh/chị đang có 2 lịch hẹn chưa diễn ra. Mỗi người giữ tối đa 2 lịch hẹn để ai cũng có "
    'chỗ; anh/chị có thể huỷ hoặc đổi một lịch trong mục "Lịch hẹn của tôi".'
)
BOOKED = (
    "Đã đặt lịch. Mã lịch hẹn: {code}. Số thứ tự: {queue}.\n"
    "Thời gian: {start} đến {end}.\nĐịa điểm: {place}.\nNgười tiếp: {receiver}.\n\n"
    "Khi đến, anh/chị mang theo: giấy tờ tùy thân (căn cước); giấy ủy quyền nếu đến thay người "
    "khác; đơn (nếu có) và giấy tờ, tài liệu liên quan đến vụ việc. Trợ lý sẽ nhắc anh/chị trước "
    "một ngày và sáng hôm tiếp."
)
NO_BOOKINGS = "Anh/chị chưa có lịch hẹn nào sắp tới."
MY_BOOKINGS = "Lịch hẹn của anh/chị:"
MY_BOOKING_LINE = "{code}: {start}, {place}, số thứ tự {queue}"
CANCEL_BOOKING = "Huỷ lịch {code}"
MOVE_BOOKING = "Đổi lịch {code}"
BOOKING_CANCELLED = "Đã huỷ lịch hẹn {code}."
CONFIRM_CANCEL_BOOKING = (
    "Huỷ lịch hẹn {code} lúc {start}? Chỗ của anh/chị sẽ nhường cho người khác và Trợ lý thôi "
    "nhắc lịch. Việc này không hoàn tác được."
)
CANCEL_BOOKING_YES = "Huỷ lịch hẹn này"
KEEP_BOOKING = "Giữ lịch hẹn"
BOOKING_SAME_SESSION = "Lịch hẹn {code} đã ở buổi này; Trợ lý giữ nguyên, số thứ tự vẫn là {queue}."
BOOKING_GONE = "Không tìm thấy lịch hẹn này, hoặc lịch đã được huỷ."
PICK_NEW_SESSION = "Anh/chị chọn buổi mới cho lịch hẹn {code}:"
BOOKING_MOVED = "Đã đổi lịch hẹn. " + BOOKED
REMINDER_EVE = (
    "Nhắc lịch: ngày mai {start}, anh/chị có lịch tiếp công dân tại {place} (mã {code}, số thứ tự "
    "{queue}). Nhớ mang giấy tờ tùy thân và tài liệu liên quan. Nếu không đến được, anh/chị huỷ "
    'lịch trong mục "Lịch hẹn của tôi".'
)
REMINDER_MORNING = (
    "Nhắc lịch: hôm nay {start}, anh/chị có lịch tiếp công dân tại {place} (mã {code}, số thứ tự "
    "{queue})."
)
SESSION_CANCELLED_NOTICE = (
    "Buổi tiếp công dân {start} tại {place} đã bị huỷ. Lịch hẹn {code} của anh/chị không còn "
    "hiệu lực; anh/chị vui lòng đặt lịch buổi khác. Xin lỗi anh/chị vì sự bất tiện."
)
OUTCOME_NOTICE = "Kết quả buổi tiếp công dân ngày {day} (lịch hẹn {code}):\n{outcome}"

# -- Tiếp công dân: officials ---------------------------------------------------------------
STAFF_NO_SESSIONS = "Không có buổi tiếp sắp tới nào thuộc đơn vị của anh/chị."
STAFF_SESSIONS = "Các buổi tiếp sắp tới (chọn một buổi để xem danh sách đăng ký):"
STAFF_SESSION_BUTTON = "{day} {start} ({booked}/{capacity})"
STAFF_BOOKINGS = "Danh sách đăng ký buổi {start}, {place} ({booked}/{capacity} chỗ):"
STAFF_NO_BOOKINGS = "Chưa có ai đăng ký buổi này."
STAFF_BOOKING_LINE = "{queue}. {name}, {group} người; {matter}: {summary} [{status}]"
HIDDEN_DENUNCIATION = "(tố cáo: thông tin người tố cáo được giữ bí mật)"
BOOKING_STATUS_NAMES = {
    "booked": "đã đặt",
    "attended": "có mặt",
    "absent": "vắng mặt",
    "cancelled": "đã huỷ",
}
STAFF_BOOKING_DETAIL = (
    "Lịch hẹn {code}, số thứ tự {queue}\nHọ tên: {name}\nĐiện thoại: {phone}\nĐịa chỉ: {address}\n"
    "Loại việc: {matter}\nNội dung: {summary}\nSố người: {group}\nTrạng thái: {status}"
)
BOOKING_SECRET_NOTE = (
    "Danh tính người tố cáo chỉ người chủ trì buổi tiếp ({receiver}) xem được; quản trị viên "
    "xem được khi ghi lý do."
)
NO_RECEIVER_ACCOUNT = "chưa chọn tài khoản"
REVEAL_IDENTITY = "Xem danh tính (ghi lý do)"
SET_RECEIVER = "Người chủ trì: {name}"
PICK_RECEIVER = (
    "Chọn tài khoản cán bộ chủ trì buổi tiếp {when}. Chỉ người này xem được danh tính người tố "
    "cáo trong các lịch hẹn của buổi."
)
RECEIVER_SET = "Đã đặt {name} chủ trì buổi tiếp {when}."
RECEIVER_APPLY_ALL = "Áp dụng cho các buổi sau cùng lịch"
RECEIVER_APPLIED_ALL = (
    "Đã đặt {name} chủ trì {count} buổi sắp tới của lịch này; các buổi tạo sau cũng vậy."
)
RECEIVER_ADMIN_ONLY = (
    "Buổi tiếp này đã có lịch hẹn tố cáo; người chủ trì xem được danh tính người tố cáo, nên chỉ "
    "quản trị viên mới chọn hoặc đổi được."
)
RECEIVER_ACCUSED = (
    "Cán bộ này bị nêu tên trong một đơn tố cáo đã đặt lịch ở buổi tiếp này, nên không được "
    "chọn làm người tiếp buổi này. Anh/chị chọn người khác."
)
MARK_ACCUSED = "Đánh dấu cán bộ bị tố cáo"
PICK_ACCUSED = (
    "Chọn tài khoản cán bộ bị tố cáo (chỉ khi biết chắc). Tài khoản được đánh dấu sẽ không thấy "
    "việc này, người tố cáo và kết quả tìm kiếm liên quan."
)
ACCUSED_ADMIN_ONLY = (
    "Chỉ quản trị viên mới đánh dấu được một quản trị viên là cán bộ bị tố cáo. Anh/chị báo "
    "quản trị viên khác hoặc cấp trên nếu đơn nêu tên người này."
)
ACCUSED_MARKED = "Đã đánh dấu {name}: tài khoản này không còn thấy {what}."
ACCUSED_WHAT_BOOKING = "lịch hẹn {code}"
ACCUSED_WHAT_PETITION = "đơn {code}"
NO_STAFF_ACCOUNTS = "Đơn vị chưa có tài khoản cán bộ nào khác."
MARK_ATTENDED = "Có mặt"
ATTENDANCE_TOO_EARLY = (
    "Buổi tiếp ngày {day} chưa diễn ra: chỉ ghi có mặt hoặc vắng từ ngày đó trở đi."
)
MARK_ABSENT = "Vắng mặt"
CANCEL_SESSION = "Huỷ buổi tiếp này"
SESSION_CANCEL_DONE = "Đã huỷ buổi tiếp; {count} người đã đặt lịch được báo tin."
CONFIRM_CANCEL_SESSION = (
    "Huỷ buổi tiếp {start}? {booked} người đã đặt lịch sẽ được báo tin qua kênh họ đã dùng và lịch "
    "hẹn của họ bị huỷ. Việc này không hoàn tác được."
)
CANCEL_SESSION_YES = "Huỷ buổi tiếp"
ASK_OUTCOME = (
    "Đã ghi nhận có mặt. Anh/chị gõ kết quả buổi tiếp (sẽ lưu vào sổ và có thể gửi cho công "
    "dân), hoặc bấm Quay lại:"
)
OUTCOME_SAVED = "Đã lưu kết quả."
MARKED_ATTENDED_DESK = "Đã ghi nhận có mặt. Ghi kết quả buổi tiếp khi có."
SEND_OUTCOME = "Gửi kết quả cho công dân"
OUTCOME_SENT = "Đã gửi kết quả cho công dân qua kênh họ đã dùng để đặt lịch."
MARKED_ABSENT = "Đã ghi nhận vắng mặt."
WALK_IN = "Ghi tiếp công dân trực tiếp"
WALK_IN_KIND = "Công dân được tiếp trong buổi nào?"
WALK_IN_SAVED = "Đã ghi vào sổ tiếp công dân: mã {code}, số thứ tự {queue}."
# The walk-in record is typed by the official about the person at the desk.
WALK_IN_ASK = {
    "matter": "Người đến trình bày việc gì? Chọn một mục:",
    "name": "Họ và tên người đến (ví dụ: Nguyễn Văn An):",
    "phone": "Số điện thoại của người đến (không có thì bấm nút bên dưới):",
    "address": "Địa chỉ của người đến (thôn, tổ dân phố; xã, phường):",
    "summary": "Tóm tắt nội dung người đến trình bày (không quá 1.000 ký tự):",
    "group": "Có bao nhiêu người cùng đến? Gõ một số, ví dụ 1:",
}
WALK_IN_READ_BACK = "Anh/chị kiểm tra lại trước khi ghi vào sổ tiếp công dân:\n{fields}"
WALK_IN_SAVE = "Ghi vào sổ"
WALK_IN_QUIT = "Đã thôi ghi lượt tiếp; chưa có gì được lưu."
NO_PHONE = "Không có số điện thoại"
NO_PHONE_SHOWN = "không có"
DESK_PLACE = "Trụ sở UBND (tiếp trực tiếp)"

# -- Officials' deadlines -------------------------------------------------------------------
BAD_RECURRENCE = (
    "Cách lặp '{value}' chưa đúng. Dùng monthly:15 (ngày 15 hằng tháng), quarterly:3:10 (ngày 10 "
    "tháng cuối quý), yearly:05/05,05/11 (các ngày trong năm) hoặc RRULE:FREQ=… (lặp nhiều nhất "
    "mỗi ngày một lần: không dùng HOURLY, MINUTELY, SECONDLY, BYHOUR, BYMINUTE, BYSECOND)."
)
RECURRENCE_NEVER_DUE = "Cách lặp '{value}' không có ngày hạn nào trong hai năm tới."
RULE_MONTHLY = "ngày {day} hằng tháng"
RULE_QUARTERLY = "ngày {day} {month}"
QUARTER_MONTHS = {"1": "tháng đầu quý", "2": "tháng giữa quý", "3": "tháng cuối quý"}
RULE_YEARLY = "hằng năm vào ngày {days}"
RULE_RRULE = "lặp {every}theo quy tắc {rule}"
RRULE_FREQ_NAMES = {
    "DAILY": "hằng ngày ",
    "WEEKLY": "hằng tuần ",
    "MONTHLY": "hằng tháng ",
    "YEARLY": "hằng năm ",
}
DEADLINE_REMINDER = (
    "Nhắc hạn: {title}\nHạn: {due} ({when}).\nCăn cứ: {basis}.\n"
    'Khi đã xong, bấm "Đã nộp / Đã xong" hoặc gõ: {command}'
)
DEADLINE_LATE = (
    "Chưa nộp: {title}\nHạn: {due} ({when}).\nCăn cứ: {basis}.\n"
    'Khi đã xong, bấm "Đã nộp / Đã xong" hoặc gõ: {command}'
)
DEADLINE_ESCALATION = (
    "Quá hạn: {title}\nHạn: {due} ({when}), chưa được báo là đã xong.\nCăn cứ: {basis}.\n"
    'Khi đã xong, bấm "Đã nộp / Đã xong" hoặc gõ: {command}'
)
DEADLINE_IN = "còn {days} ngày"
DEADLINE_TODAY = "hôm nay là hạn"
DEADLINE_OVERDUE = "đã quá {days} ngày"
DEADLINE_DONE = "Đã nộp / Đã xong"
DEADLINE_SNOOZE = "Nhắc lại sau"
DEADLINE_VIEW = "Xem chi tiết"
DEADLINE_MARKED_DONE = (
    "Đã ghi nhận hoàn thành: {title} (hạn {due}). Trợ lý sẽ không nhắc lần hạn này nữa."
)
DEADLINE_ALREADY_DONE = 'Việc "{title}" (hạn {due}) đã được báo là xong trước đó.'
DEADLINE_UNKNOWN = (
    'Không có việc số {number} trong các hạn báo cáo của đơn vị anh/chị. Bấm "Hạn báo cáo" '
    "để xem số của từng việc."
)
DEADLINE_NO_SUCH_DATE = (
    'Việc "{title}" không có lần hạn nào vào ngày {due}. Gõ ngày hạn đúng như tin nhắc, hoặc chỉ '
    "gõ /xong và số việc để báo xong lần hạn gần nhất chưa nộp."
)
DEADLINE_NOTHING_OPEN = 'Việc "{title}" không còn lần hạn nào chưa nộp.'
DEADLINE_SNOOZED = "Trợ lý sẽ nhắc lại lúc {when}."
DEADLINE_ONCE = "Hạn một lần: {due}"
DEADLINE_RECURRING = "Lặp lại: {rule}"
DEADLINE_BASIS = "Căn cứ: {basis}"
DEADLINE_UNIT = "Đơn vị: {unit}"
DEADLINE_LINE = "{number}. [{unit}] {title} — {rule}; lần hạn gần nhất chưa nộp: {due}"
DEADLINE_NOT_FOUND = "Không có hạn số {number} (hoặc hạn này đã bị xoá)."
DEADLINE_TITLE_TAKEN = "Đơn vị này đã có một hạn tên '{title}'."
DEADLINE_ESCALATE_AFTER = "Báo cấp trên khi quá hạn {days} ngày."
DEADLINE_NO_ESCALATION = "Không báo cấp trên khi quá hạn."
DEADLINE_OPEN_DATES = "Các lần hạn chưa nộp: {dates}"
DEADLINE_DONE_DATES = "Các lần đã nộp gần đây: {dates}"
DAY_OFF_RULE_NAMES = {
    "before": "Hạn trùng ngày nghỉ thì lùi về ngày làm việc trước đó.",
    "after": "Hạn trùng ngày nghỉ thì dời sang ngày làm việc sau đó.",
    "keep": "Hạn trùng ngày nghỉ vẫn giữ nguyên ngày.",
}
LEADS_BEFORE = "Nhắc trước {days} ngày và vào ngày hạn, lúc {at}"
LEADS_ON_DAY = "Nhắc vào ngày hạn, lúc {at}"
DEADLINE_OCCURRENCE_OPEN = "Lần hạn {due}: chưa nộp."
DEADLINE_OCCURRENCE_DONE = "Lần hạn {due}: đã nộp."
DEADLINE_STATE_DONE = " (đã nộp)"
DEADLINE_STATE_LATE = " (chưa nộp, quá {days} ngày)"
DEADLINES_MORE = "… và {count} lần hạn khác."
NO_DEADLINES = "Không có hạn nào trong 90 ngày tới thuộc đơn vị của anh/chị."
DEADLINES_HEAD = "Hạn báo cáo chưa nộp và trong 90 ngày tới:"
BAD_DONE_COMMAND = (
    "Gõ theo mẫu: /xong <số việc> <ngày hạn>, ví dụ /xong 12 05/11/2026; hoặc /xong 12 để báo "
    "xong lần hạn gần nhất chưa nộp."
)
STAFF_NOTIFY_HERE_BUTTON = "Nhận nhắc việc ở kênh này"
STAFF_NOTIFY_HERE_DONE = (
    "Từ nay nhắc hạn và cảnh báo cho anh/chị sẽ gửi qua {channel}. Chọn lại ở kênh khác bất cứ "
    "lúc nào."
)
SESSION_MOVED_NOTICE = (
    "Buổi tiếp công dân {old} được dời sang {new}, tại {place}. Lịch hẹn {code} của anh/chị vẫn "
    'giữ nguyên số thứ tự. Nếu không đến được, anh/chị huỷ hoặc đổi lịch trong mục "Lịch hẹn '
    'của tôi".'
)
DEADLINE_ADD = "Thêm hạn báo cáo"
ASK_DEADLINE_TITLE = "Anh/chị gõ tên việc cần nhắc (5 đến 300 ký tự), ví dụ: Báo cáo quý IV:"
ASK_DEADLINE_KIND = "Việc này có hạn một lần hay lặp lại? Chọn một mục, hoặc gõ ngày hạn:"
DEADLINE_FIELDS = {"title": "Tên việc", "kind": "Lặp lại", "due": "Hạn"}
DEADLINE_KINDS = (
    ("once", "Một lần"),
    ("monthly", "Hằng tháng"),
    ("quarterly", "Hằng quý"),
    ("yearly", "Hằng năm"),
)
ASK_DEADLINE_ONCE = "Hạn là ngày nào? Gõ ngày/tháng/năm, ví dụ 15/12/2026."
ASK_DEADLINE_MONTHLY = "Hạn vào ngày nào trong tháng? Gõ một số từ 1 đến 31, ví dụ 20."
ASK_DEADLINE_QUARTERLY = (
    "Hạn vào ngày nào của tháng cuối quý (tháng 3, 6, 9, 12)? Gõ một số từ 1 đến 31, ví dụ 18."
)
ASK_DEADLINE_YEARLY = (
    "Hạn vào những ngày nào trong năm? Gõ ngày/tháng, cách nhau bằng dấu phẩy, ví dụ 05/05, 05/11."
)
BAD_DEADLINE_DAY = "Ngày trong tháng phải là một số từ 1 đến 31."
BAD_DEADLINE_DUE = "Chưa đọc được ngày hạn."
BAD_DEADLINE_ONCE = (
    BAD_DEADLINE_DUE + " Ngày hạn phải từ hôm nay trở đi; anh/chị gõ ngày/tháng/năm, ví dụ "
    "15/12/2026 hoặc 15/12."
)
DEADLINE_ADDED = "Đã thêm: {title}, hạn {when}. {leads}."
PLAN_ROW_NOT_MAPPING = "Hạn thứ {number}: mỗi hạn phải là một mục có các trường title, unit, …"
PLAN_FIELD_TYPE = "trường '{field}' phải là chữ hoặc số, không phải danh sách hay nhóm."
PLAN_UNIT_OUT_OF_SCOPE = "Hạn thứ {number}: đơn vị không thuộc phạm vi anh/chị quản lý."

# -- Đơn thư: citizens ----------------------------------------------------------------------
PETITION_KIND_NAMES = {
    "khieu_nai": "Khiếu nại",
    "to_cao": "Tố cáo",
    "kien_nghi": "Kiến nghị",
    "phan_anh": "Phản ánh",
    "thong_tin": "Thông tin không nêu tên",
    "kien_nghi_btnd": "Kiến nghị của Ban Thanh tra nhân dân",
}
PETITION_INTRO = (
    "Khiếu nại: đề nghị xem xét lại quyết định, hành vi hành chính xâm phạm quyền lợi của chính "
    "mình. Tố cáo: báo hành vi vi phạm pháp luật của người khác.\n"
    "Kiến nghị: đề xuất, góp ý về chính sách, quản lý. Phản ánh: báo tin về một việc chưa đúng, "
    "chưa hợp lý để chính quyền biết và xử lý.\nAnh/chị muốn gửi loại nào?"
)
PETITION_ANONYMOUS = "Gửi thông tin không nêu tên"
PETITION_SUGGEST = (
    "Theo nội dung anh/chị viết, đây có thể là đơn {kind}. Anh/chị muốn gửi đơn {kind}?"
)
PETITION_YES = "Đúng, gửi đơn {kind}"
PETITION_OTHER = "Chọn loại khác"
PETITION_JUST_ASKING = "Không, tôi chỉ muốn hỏi"
PETITION_ASK_AWAY = (
    'Vâng. Anh/chị cứ gõ câu hỏi, hoặc chọn một mục bên dưới. Khi cần gửi đơn, chọn "Gửi đơn thư".'
)
PETITION_ANON_NOTE = (
    "Thông tin không nêu tên được chuyển để cán bộ tham khảo, nhưng không được giải quyết như "
    "khiếu nại hay tố cáo (Luật Tố cáo số 25/2018/QH14, Điều 25). Anh/chị sẽ không nhận được mã "
    "tra cứu gắn với tên mình."
)
# The read-back names each answer by these, not by the question that asked for it.
PETITION_LABELS = {
    "name": "Họ và tên",
    "phone": "Số điện thoại",
    "address": "Địa chỉ",
    "decision": "Quyết định, hành vi bị khiếu nại",
    "decision_day": "Ngày nhận hoặc biết quyết định, hành vi",
    "content": "Nội dung",
    "request": "Yêu cầu giải quyết",
    "accused": "Người, cơ quan bị tố cáo",
    "act": "Hành vi bị tố cáo",
    "place": "Nơi xảy ra",
}
PETITION_KIND_LINE = "Loại đơn: {kind}"
PETITION_FILES_LINE = "Ảnh, giấy tờ kèm theo: {count}"
PETITION_ASK = {
    "name": "Anh/chị cho biết họ và tên:",
    "phone": "Số điện thoại để cán bộ liên hệ (ví dụ 0912 345 678):",
    "address": "Địa chỉ của anh/chị (thôn, tổ dân phố; xã, phường):",
    "decision": (
        "Quyết định hoặc hành vi bị khiếu nại: số, ngày ban hành, cơ quan hoặc người ban hành "
        "(ví dụ: Quyết định số 12/QĐ-UBND ngày 05/10/2026 của UBND xã):"
    ),
    "decision_day": (
        "Anh/chị nhận được hoặc biết quyết định, hành vi đó vào ngày nào? (ví dụ: 10/11/2026; "
        "không nhớ thì bấm nút bên dưới). Ngày này để tính thời hiệu khiếu nại."
    ),
    "content": "Nội dung và lý do (trình bày ngắn gọn, trung thực):",
    "request": "Anh/chị đề nghị giải quyết thế nào?",
    "accused": "Người hoặc cơ quan bị tố cáo (họ tên, chức vụ, nơi công tác nếu biết):",
    "act": "Hành vi vi phạm pháp luật bị tố cáo (việc gì, khi nào, ở đâu):",
    "place": "Địa điểm xảy ra sự việc (thôn, đường, số nhà...):",
}
PETITION_NO_DAY = "Không nhớ ngày"
PETITION_DAY_NOT_GIVEN = "không nhớ rõ"
PETITION_BAD_DAY = "Trợ lý chưa đọc được ngày (ngày phải không sau hôm nay). "
PETITION_LIMIT_PASSED = (
    "Lưu ý: tính từ ngày {day}, thời hiệu khiếu nại {days} ngày đã hết vào {end} ({rule}). "
    "Anh/chị vẫn gửi được đơn: nếu vì ốm đau, thiên tai, địch họa, đi công tác, học tập ở nơi xa "
    "hoặc trở ngại khách quan khác mà chưa khiếu nại được thì thời gian đó không tính vào thời "
    "hiệu; anh/chị nên ghi rõ lý do trong phần nội dung.\n\n"
)
PETITION_ADDED = 'Đã thêm câu anh/chị vừa gõ vào mục "{label}".'
PETITION_NOT_ADDED = (
    'Mục "{label}" đã đủ dài (tối đa 2.000 ký tự) nên Trợ lý chưa thêm câu vừa gõ; anh/chị '
    'có thể bấm "Quay lại" để sửa mục đó.'
)
PETITION_TOO_SHORT = "Nội dung quá ngắn hoặc quá dài (từ 5 đến 2.000 ký tự). Anh/chị gõ lại:"
PETITION_CONSENT = (
    "Anh/chị kiểm tra lại:\n{summary}\n\nĐể gửi, anh/chị đồng ý cho UBND xử lý các thông tin cá "
    "nhân trên vào việc tiếp nhận, giải quyết đơn.{secrecy}"
)
PETITION_SECRECY = " Thông tin người tố cáo được giữ bí mật theo Luật Tố cáo."
PETITION_SEND = "Đồng ý, gửi đơn"
PETITION_FILED = (
    "Đã đăng ký trực tuyến đơn {kind}. Mã tra cứu: {code}.\n{next}\n"
    "Hạn xử lý bước đầu dự kiến: {due} ({rule}); thời hạn chính thức tính từ ngày UBND ghi nhận đã "
    "nhận đơn."
)
PETITION_SIGN = (
    "Lưu ý: đơn khiếu nại, tố cáo chỉ được thụ lý khi có chữ ký hoặc điểm chỉ của người gửi. "
    "Anh/chị mang đơn đến bộ phận tiếp công dân để ký xác nhận, hoặc đặt lịch tiếp công dân ngay "
    "bên dưới."
)
PETITION_NEXT_PLAIN = "Cán bộ sẽ xem xét và trả lời anh/chị qua kênh này."
PETITION_ANON_FILED = "Đã chuyển thông tin của anh/chị tới cán bộ. Cảm ơn anh/chị."
PETITION_QUIT = "Đã huỷ; nội dung vừa nhập không được lưu."
PETITION_NO_UNIT = "Chưa cấu hình xã, phường nhận đơn. Anh/chị vui lòng liên hệ trực tiếp UBND."
MY_PETITIONS = "Đơn của anh/chị:"
PETITION_LINE = "{code} ({kind}): {status}. {due}"
PETITION_DUE = "Hạn {step}: {due}{estimate}."
PETITION_ESTIMATE = " (dự kiến)"
NO_PETITIONS = (
    "Anh/chị chưa gửi đơn nào từ tài khoản này. Để tra cứu đơn gửi nơi khác, gõ mã đơn và 4 số "
    "cuối số điện thoại đã ghi trong đơn, ví dụ: KN-2026-7H3Q9X 5678."
)
PETITION_LOOKUP_WRONG = "Không tìm thấy đơn với mã và 4 số điện thoại này."
PETITION_LOOKUP_SLOWED = (
    "Mã này đã bị tra sai nhiều lần nên tạm dừng tra cứu. Anh/chị vui lòng thử lại sau {wait}. "
    'Người gửi đơn vẫn xem được đơn của mình trong mục "Tra cứu đơn".'
)
PETITION_LOOKUP_TOCAO = (
    "Để giữ bí mật cho người tố cáo, đơn tố cáo không tra cứu được bằng mã và số điện thoại. "
    'Người gửi xem đơn của mình trong mục "Tra cứu đơn" trên chính tài khoản đã gửi, hoặc hỏi tại '
    "bộ phận tiếp công dân."
)
PETITION_STATUS_NAMES = {
    "dang_ky": "đã đăng ký trực tuyến, chờ UBND ghi nhận",
    "tiep_nhan": "đã tiếp nhận",
    "xu_ly_ban_dau": "đang xử lý ban đầu",
    "thu_ly": "đã thụ lý",
    "khong_thu_ly": "không thụ lý",
    "chuyen": "đã chuyển cơ quan có thẩm quyền",
    "dang_giai_quyet": "đang giải quyết",
    "gia_han": "đã gia hạn giải quyết",
    "tam_dinh_chi": "tạm đình chỉ",
    "dinh_chi": "đình chỉ",
    "da_giai_quyet": "đã giải quyết",
    "dong": "đã đóng",
    "rut_don": "đã rút đơn",
    "thong_tin": "đã chuyển cán bộ tham khảo",
    "cho_chuyen": "không thuộc thẩm quyền, đang chuyển cơ quan có thẩm quyền",
    "huong_dan": "không thuộc thẩm quyền, đã hướng dẫn người gửi đến cơ quan có thẩm quyền",
    "de_nghi_xem_lai": "người gửi đề nghị xem xét lại",
    "de_nghi_rut_don": "người gửi đề nghị rút đơn",
}
PETITION_UPDATE = "Đơn {code} của anh/chị: {status}.{note}{due}{extra}"
PETITION_OVERDUE_APPEAL = (
    " Nếu hết ngày {due} mà chưa có quyết định giải quyết, anh/chị có quyền khiếu nại lần hai "
    "đến hết {end}{estimate} hoặc khởi kiện vụ án hành chính (Căn cứ: {rule})."
)

# -- Đơn thư: officials ---------------------------------------------------------------------
STAFF_PETITION_QUEUE = "Hàng đợi đơn (sắp xếp theo hạn):"
STAFF_NO_PETITIONS = "Không có đơn nào đang chờ xử lý thuộc đơn vị của anh/chị."
STAFF_PETITION_LINE = "{code} ({kind}, {source}): {status}; {due}"
DAYS_LEFT = "còn {days} ngày"
DAYS_LATE = "quá hạn {days} ngày"
DUE_TODAY = "hạn hôm nay"
NO_DUE = "chưa có hạn"
PETITION_SOURCES = {
    "chat": "trực tuyến",
    "paper": "đơn giấy",
    "post": "bưu chính",
    "desk": "nộp trực tiếp",
    "forwarded": "cơ quan khác chuyển",
}
STAFF_PETITION_DETAIL = (
    "{code}: {kind} ({source}{note})\nTrạng thái: {status}\n{due}\nNội dung: {summary}\n"
    "Người gửi: {party}\nNgười xử lý: {handler}"
)
HIDDEN_FILER = "được giữ bí mật; chỉ người được giao xử lý xem được"
NO_HANDLER = "chưa giao"
PT_TAKE = "Nhận xử lý"
PT_RECEIVED = "Đã nhận đơn (có ký/điểm chỉ)"
PT_ACCEPT = "Thụ lý"
PT_REJECT = "Không thụ lý"
PT_TRANSFER = "Chuyển cơ quan khác"
PT_GUIDE = "Không thuộc thẩm quyền: hướng dẫn người gửi"
PT_VERDICT_ASK = "Kết quả giải quyết đơn {code}: nội dung {kind} đúng, sai hay đúng một phần?"
PT_VERDICTS = {"dung": "Đúng", "sai": "Sai", "dung_mot_phan": "Đúng một phần"}
PT_VERDICT_NEEDED = "Chọn kết quả giải quyết (đúng, sai hay đúng một phần) trước khi đóng đơn."
PT_FIELD = "Lĩnh vực: {field}"
PT_FIELD_NONE = "chưa ghi"
PT_FIELD_BUTTON = "Ghi lĩnh vực"
PT_VERDICT_LINE = "Kết quả giải quyết: {verdict}"
PT_FIELD_ASK = "Chọn lĩnh vực của đơn {code}:"
PT_FIELD_SET = "Đã ghi lĩnh vực của đơn {code}: {field}."
PT_EXTEND = "Gia hạn"
PT_SUSPEND = "Tạm đình chỉ"
PT_STOP = "Đình chỉ"
PT_RESULT = "Ghi kết quả giải quyết"
PT_CLOSE = "Đóng đơn"
PT_COMPLEX = "Đánh dấu vụ việc phức tạp"
PT_REMOTE = "Đánh dấu vùng sâu, vùng xa"
PT_DISCIPLINARY = "Khiếu nại quyết định kỷ luật cán bộ, công chức"
PT_DISMISSAL = "Kỷ luật buộc thôi việc"
PT_VERY_COMPLEX = "Đánh dấu vụ việc đặc biệt phức tạp"
PT_SEVERAL_PLACES = "Cần xác minh nhiều nơi hoặc ủy quyền xác minh"
PT_OUTSIDE = "Không thuộc thẩm quyền (cần chuyển)"
# Lines of a case's detail, for officials.
PT_FACTS = "Đặc điểm: {facts}"
PT_FACT_NAMES = {
    "disciplinary": "khiếu nại quyết định kỷ luật (Luật Khiếu nại Điều 47-51)",
    "dismissal": "kỷ luật buộc thôi việc",
    "complex": "vụ việc phức tạp",
    "very_complex": "vụ việc đặc biệt phức tạp",
    "remote": "vùng sâu, vùng xa",
    "several_places": "xác minh nhiều nơi hoặc ủy quyền xác minh",
    "second_round": "khiếu nại lần hai",
}
PT_DISCIPLINARY_FORM = (
    "Khiếu nại quyết định kỷ luật phải làm bằng đơn ghi rõ ngày, tháng, năm; họ tên, địa chỉ; "
    "nội dung, lý do, yêu cầu và có chữ ký của người khiếu nại. Đơn lần đầu gửi người đã ra "
    "quyết định kỷ luật; đơn lần hai gửi cơ quan có thẩm quyền giải quyết lần hai "
    "(Luật Khiếu nại số 02/2011/QH13, Điều 49)."
)
PT_TRANSFER_DUE = (
    "Nếu không thuộc thẩm quyền: chuyển đơn và báo người tố cáo chậm nhất {due}{estimate} ({rule})."
)
PT_NOTIFY_DUE = (
    "Thông báo thụ lý cho người tố cáo và nội dung tố cáo cho người bị tố cáo chậm nhất "
    "{due}{estimate} ({rule})."
)
PT_EARLY_DUE = "Nhắc sớm: {due} theo {rule}. Hạn dùng để tính quá hạn vẫn là {main} ({main_rule})."
PT_EARLY_ALERT = (
    "Nhắc hạn thụ lý đơn {code}: {early} theo {early_rule}; hạn theo luật hiện hành {main} "
    "({main_rule}). Bấm để xem đơn."
)
PT_LIMIT_LINE = (
    "Ngày nhận hoặc biết quyết định: {day}; thời hiệu {days} ngày đến hết {end}{estimate} ({rule})."
)
PT_LIMIT_PASSED = (
    " Đơn gửi sau ngày đó: kiểm tra thời gian có trở ngại khách quan (ốm đau, thiên tai, đi "
    "xa...), thời gian đó không tính vào thời hiệu."
)
PT_SUSPENDED_LINE = "Tạm đình chỉ từ {since}: thời gian này không tính vào thời hạn ({rule})."
PT_ROUTED_UP = (
    "Tố cáo Chủ tịch hoặc Phó Chủ tịch UBND {unit}: chuyển lên đơn vị cấp trên theo cài đặt. "
    "Thẩm quyền giải quyết từ 01/7/2025 chưa được xác nhận (trước đây là Chủ tịch UBND cấp huyện, "
    "Luật Tố cáo số 25/2018/QH14, Điều 13 khoản 2); lãnh đạo xã không xem được đơn này."
)
PT_KEPT_AT_COMMUNE = (
    "Tố cáo Chủ tịch hoặc Phó Chủ tịch UBND xã: giữ tại xã theo cài đặt. Thẩm quyền giải quyết từ "
    "01/7/2025 chưa được xác nhận (trước đây là Chủ tịch UBND cấp huyện, Luật Tố cáo số "
    "25/2018/QH14, Điều 13 khoản 2); lãnh đạo xã không xem được và không được giao đơn này."
)
PT_ACCEPT_NOTICE = (
    " Người giải quyết tố cáo phải thông báo việc thụ lý cho anh/chị chậm nhất {due}{estimate} "
    "(Căn cứ: {rule})."
)
PT_APPEAL_WINDOW = (
    "\nNếu chưa đồng ý, anh/chị có quyền khiếu nại lần hai trong {days} ngày kể từ ngày nhận "
    "quyết định giải quyết (nếu nhận hôm nay: đến hết {end}{estimate}){court}. Căn cứ: {rule}."
)
PT_APPEAL_COURT = " hoặc khởi kiện vụ án hành chính tại Tòa án"
PT_ASK_NOTE = {
    "khong_thu_ly": "Gõ lý do không thụ lý (sẽ gửi cho người gửi đơn):",
    "chuyen": "Gõ tên cơ quan có thẩm quyền nhận đơn (sẽ gửi cho người gửi đơn):",
    "huong_dan": (
        "Gõ cơ quan có thẩm quyền mà người gửi cần gửi đơn đến (sẽ gửi cho người gửi đơn):"
    ),
    "gia_han": "Gõ lý do gia hạn (chỉ lưu trong hồ sơ, không gửi cho người gửi đơn):",
    "tam_dinh_chi": "Gõ lý do tạm đình chỉ (sẽ gửi cho người gửi đơn):",
    "dinh_chi": "Gõ lý do đình chỉ (sẽ gửi cho người gửi đơn):",
    "da_giai_quyet": "Gõ kết quả giải quyết (sẽ gửi cho người gửi đơn):",
}
PT_DONE = "Đã cập nhật đơn {code}: {status}."
PT_DUE_NOW = " Hạn hiện tại: {due}, {words}."
PT_FILES = (
    "Ảnh, giấy tờ người dân gửi kèm: {count} tệp ({names}), lưu tại thư mục dữ liệu của Trợ lý: "
    "{folder}.{waiting}"
)
PT_FILES_WAITING = " Còn {count} tệp đang được tải về."
PT_NOT_ALLOWED = "Bước này không áp dụng cho đơn ở trạng thái hiện tại."
PT_SATISFACTION = "Anh/chị có hài lòng với việc giải quyết đơn {code} không?"
PT_SATISFIED = "Hài lòng"
PT_UNSATISFIED = "Không hài lòng"
PT_REOPEN = "Đề nghị xem xét lại"
PT_REOPEN_ALERT = (
    "Người gửi đơn {code} (đã đóng) đề nghị xem xét lại; anh/chị liên hệ người gửi. Bấm để xem đơn."
)
PT_WITHDRAW_ALERT = (
    "Người gửi đơn {code} đề nghị rút đơn; cần văn bản rút đơn có chữ ký hoặc điểm chỉ. Bấm để "
    "xem đơn."
)
PT_REOPEN_LINE = "Người gửi đề nghị xem xét lại ngày {day} (sau khi đóng đơn)."
PT_THANKS = "Cảm ơn anh/chị đã cho biết ý kiến."
PT_REOPEN_NOTED = (
    "Đã ghi nhận đề nghị xem xét lại đơn {code}; cán bộ sẽ liên hệ anh/chị. Nếu là khiếu nại, "
    "anh/chị còn quyền khiếu nại lần hai hoặc khởi kiện theo Luật Khiếu nại."
)
WITHHELD = "đã ghi nhận (được giữ bí mật)"
PARTY_WITHHELD = "Họ tên, điện thoại, địa chỉ: đã ghi nhận (được giữ bí mật)"
PT_TAKE_REFUSED = (
    "Đơn tố cáo do quản trị viên giao người xử lý (người xử lý xem được danh tính người tố cáo, "
    "nên không tự nhận). Anh/chị báo quản trị viên nếu cần."
)
PT_ASSIGN = "Giao người xử lý"
PT_PICK_HANDLER = "Chọn cán bộ xử lý đơn {code}:"
PT_ASSIGNED = "Anh/chị được giao xử lý đơn {code}. Bấm để xem đơn."
PT_ASSIGNED_TO = "Đã giao đơn {code} cho {name}; người được giao đã được báo."
PT_DUE_ALERT = "Hạn xử lý đơn {code}: {due}. Bấm để xem đơn."
PT_WITHDRAW = "Rút đơn {code}"
PT_WITHDRAWN = "Đã rút đăng ký {code}; đơn sẽ không được xử lý tiếp."
CONFIRM_WITHDRAW = (
    "Rút đơn {code}? Đơn sẽ không được xử lý tiếp; nếu đơn đã có cán bộ xử lý, cán bộ sẽ được báo. "
    "Việc này không hoàn tác được."
)
WITHDRAW_YES = "Rút đơn này"
KEEP_PETITION = "Không rút"
PT_WITHDRAW_SIGNED = (
    "Đã ghi nhận đề nghị rút đơn {code}. Theo Luật Khiếu nại (Điều 10) và Luật Tố cáo (Điều 33), "
    "việc rút khiếu nại, tố cáo phải bằng văn bản có chữ ký hoặc điểm chỉ; anh/chị gửi văn bản "
    "rút đơn tới bộ phận tiếp công dân. Cán bộ xử lý đã được báo tin."
)
PT_DUPLICATE = (
    "Anh/chị đã gửi đơn cùng nội dung này, mã {code}; trợ lý không tạo đơn mới để đơn không bị "
    "tính hai lần."
)
LOCATION_TEXT = "Vị trí đã chia sẻ: {lat:.5f}, {lon:.5f}"
REPORT_PICK = "Chọn kỳ báo cáo (số liệu gồm cả đơn vị cấp dưới):"
REPORT_PERIODS = {
    "thang-nay": "Tháng này",
    "thang-truoc": "Tháng trước",
    "quy-nay": "Quý này",
    "quy-truoc": "Quý trước",
    "6-thang": "6 tháng đầu năm nay",
    "6-thang-truoc": "6 tháng đầu năm trước",
    "nam": "Năm nay",
    "nam-truoc": "Năm trước",
}
DIGEST_HEAD = "Việc trong tuần {first} - {last}:"
DIGEST_DEADLINES = "Hạn trong tuần:"
DIGEST_DEADLINES_LATE = "Hạn báo cáo đã qua, chưa nộp:"
DIGEST_MORE = "- … và {count} mục khác."
DIGEST_OVERDUE = "Đơn quá hạn:"
DIGEST_BOOKINGS = "Buổi tiếp công dân có người đặt lịch:"
NEW_SESSION = "Thêm buổi tiếp"
NEW_SESSION_KIND = "Loại buổi tiếp?"
NEW_SESSION_ASK = {
    "when": "Ngày và giờ, theo mẫu 02/12/2026 07:30-11:00:",
    "place": "Địa điểm tiếp:",
    "receiver": "Người tiếp: chức vụ, họ tên (ví dụ: Chủ tịch UBND xã, Lê Văn Bình):",
    "capacity": "Số chỗ đăng ký tối đa (ví dụ 20):",
}
NEW_SESSION_BAD = "Chưa đúng mẫu. "
NEW_SESSION_SAVED = "Đã thêm buổi tiếp {when}; người dân có thể đặt lịch ngay."
PETITION_FILES = (
    "Anh/chị gửi ảnh hoặc tài liệu kèm theo (tối đa {limit} tệp; ảnh JPEG, PNG hoặc PDF, mỗi tệp "
    'không quá 10 MB), rồi gõ "xong". Không có tài liệu thì gõ "không có" hoặc "xong".'
)
PETITION_FILE_TAKEN = 'Đã nhận {count} tệp. Gửi thêm, hoặc gõ "xong" để tiếp tục.'
PETITION_FILES_FULL = 'Đã đủ {limit} tệp. Gõ "xong" để tiếp tục.'
NO_FILES = "Không có ảnh, giấy tờ – tiếp tục"
FILES_DONE = "Xong, tiếp tục"
PETITION_FILE_REJECTED = (
    "Tệp thứ {number} gửi kèm đơn {code} không được lưu: {reason}. Anh/chị có thể mang bản giấy "
    "đến bộ phận tiếp công dân."
)
FILE_TOO_BIG = "tệp lớn hơn 10 MB"
FILE_WRONG_TYPE = "chỉ nhận ảnh JPEG, PNG hoặc tệp PDF"
FILE_UNREACHABLE = "không tải được tệp từ kênh nhắn tin"
PT_REVEAL = "Xem danh tính người tố cáo (ghi lý do)"
PT_TAKE_REASON_ASK = (
    "Đơn tố cáo này đang có người xử lý. Giao lại cho anh/chị sẽ cho anh/chị xem danh tính người "
    "tố cáo; người đang xử lý sẽ được báo. Gõ lý do (được lưu vào nhật ký):"
)
PT_TAKEN_OVER = (
    "Đơn {code} đã được quản trị viên giao lại cho người khác xử lý. Lý do: {reason}. Anh/chị "
    "không còn là người xử lý đơn này."
)
REASON_TOO_SHORT = "Lý do cần rõ ràng, ít nhất vài chữ (10 ký tự). "
REVEAL_DROPPED = "Đã dừng; không xem và không ghi gì."
PT_REVEAL_ASK = (
    "Chỉ quản trị viên mới xem được danh tính người tố cáo khi không được giao xử lý, và phải ghi "
    "lý do (được lưu vào nhật ký). Gõ lý do:"
)
PT_REVEALED = "Người tố cáo: {party}\n(Đã ghi nhật ký: ai xem, lúc nào, lý do.)"
PT_GROUPS = "Có thể là vụ việc đông người (cùng loại, cùng nội dung, nhiều người gửi):"
PT_GROUP_LINE = "- {count} đơn: {codes}"
DEMO_OFFICIAL = (
    "Dữ liệu mẫu đã sẵn sàng. Để dùng thử vai trò cán bộ xã Minh Hòa (lịch tiếp, hàng đợi đơn, "
    "nhắc hạn, số liệu), gõ mã {code} vào trang trò chuyện; mã dùng một lần, hiệu lực 72 giờ."
)


def joined(items: list[str]) -> str:
    """ "a, b và c", as a list reads in Vietnamese."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


REPORT_REOPENED = (
    "Trong số đơn đã giải quyết, có {count} đơn người gửi đề nghị xem xét lại sau khi đóng đơn."
)
REPORT_CLASSIFIED = (
    "Về phân loại: {eligible} đơn đủ điều kiện xử lý, {not_eligible} đơn không đủ điều kiện xử "
    "lý; {within} đơn thuộc thẩm quyền, {outside} đơn không thuộc thẩm quyền (hướng dẫn "
    "{guided} đơn, chuyển {transferred} đơn)."
)
REPORT_BY_FIELD = "Theo lĩnh vực: {fields}."
REPORT_NO_FIELD = "Chưa ghi lĩnh vực"
REPORT_NO_VERDICT = "Chưa ghi kết quả"
REPORT_VERDICTS = (
    "Kết quả giải quyết: {right} đơn đúng, {wrong} đơn sai, {partly} đơn đúng một phần, "
    "{unknown} đơn chưa ghi kết quả."
)
REPORT_COMPARED = "So với cùng kỳ năm trước: {visits}; {received}; {resolved}."
REPORT_CHANGE = "{now} {unit}, {word} {by} (cùng kỳ {then})"
REPORT_SAME = "{now} {unit}, bằng cùng kỳ"
REPORT_FAQ_DECLINED = "Câu hỏi chưa có câu trả lời"
REPORT_DOC_TITLE = "Báo cáo số liệu tiếp công dân, tiếp nhận và xử lý đơn thư"
REPORT_SIGNER = "Người lập báo cáo"
REPORT_UNIT_ASK = "Anh/chị lập báo cáo cho đơn vị nào?"
REPORT_AS_OF = "Kỳ báo cáo {period} chưa kết thúc: số liệu tính đến hết ngày {day}."
REPORT_PICK_UNIT = (
    "Lỗi: cơ sở dữ liệu có nhiều đơn vị; chọn một bằng --unit (mã hoặc tên, gõ không dấu cũng "
    "được):\n{units}"
)
REPORT_NO_UNIT = "Lỗi: không có đơn vị '{unit}'. Các đơn vị:\n{units}"


# -- Staff desk (bot/desk, handlers/desk) --------------------------------------------------
DESK_TAKEN = "Anh/chị đã nhận xử lý đơn {code}."
DESK_BAD_DAY = "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/11/2026."
DESK_BAD_NAME = "Họ tên phải có từ 2 đến 200 ký tự."
DESK_RENAMED = "Đã đổi tên thành {name}."
DESK_MY_NAME_SAVED = (
    "Đã lưu tên của anh/chị: {name}. Tên này hiện trên các trang và ở mục Người lập sổ khi in sổ."
)
DESK_INVITED = (
    "Mã mời: {code} (dùng một lần, hiệu lực 72 giờ). Người được mời gửi mã này cho Trợ lý trong "
    "tin nhắn riêng; sau đó gửi /dangnhap để vào trang làm việc."
)
DESK_BAD_INVITE = "Chọn vai trò và đơn vị trong phạm vi anh/chị quản lý; họ tên từ 2 đến 200 ký tự."
DESK_REVOKED = "Đã thu hồi vai trò {role} của {name} tại {unit}."
DESK_NOT_OWN_ADMIN = "Anh/chị không tự thu hồi vai trò quản trị của mình được."
DESK_LEADER_ON = (
    "Đã đánh dấu {name} là lãnh đạo {unit} (Chủ tịch hoặc Phó Chủ tịch UBND). Từ nay người này "
    "không xem, không nhận và không giao được đơn tố cáo nêu tên lãnh đạo đơn vị, kể cả đơn đã gửi."
)
DESK_LEADER_OFF = "Đã bỏ đánh dấu lãnh đạo của {name} tại {unit}."
# Refusals and checks added after the desk's attack review (bot/desk/web.py parse_day).
# The audit page's words for actions and their details (handlers/desk/users.py).
AUDIT_ACTION_WORDS = {
    "access.denied": "Truy cập bị từ chối",
    "code.wrong": "Nhập sai mã",
    "code.invite.issue": "Tạo mã mời",
    "code.invite.cancel": "Huỷ mã mời",
    "code.link.issue": "Tạo mã liên kết kênh",
    "deadline.added": "Thêm hạn báo cáo",
    "deadline.deleted": "Xoá hạn báo cáo",
    "deadline.done": "Đánh dấu đã nộp báo cáo",
    "deadline.edited": "Sửa hạn báo cáo",
    "deadline.imported": "Nạp tệp hạn báo cáo",
    "deadline.undone": "Bỏ đánh dấu đã nộp",
    "desk.link_failed": "Đường dẫn đăng nhập không dùng được",
    "desk.link_issued": "Gửi đường dẫn đăng nhập",
    "desk.login": "Đăng nhập trang làm việc",
    "desk.logout": "Đăng xuất",
    "identity.link": "Liên kết kênh nhận tin",
    "kb.gap_dismiss": "Bỏ câu hỏi chưa có câu trả lời",
    "kb.gap_dismissed": "Bỏ câu hỏi chưa có câu trả lời",
    "kb.add": "Thêm mục kho câu hỏi",
    "kb.create": "Thêm mục kho câu hỏi",
    "kb.edit": "Sửa mục kho câu hỏi",
    "kb.import": "Nạp tệp kho câu hỏi",
    "kb.revert": "Hoàn tác mục kho câu hỏi",
    "person.notify_channel": "Đổi kênh nhận tin",
    "person.rename": "Đổi tên",
    "petition.accused_marked": "Đánh dấu cán bộ bị tố cáo",
    "petition.accused_refused": "Đánh dấu cán bộ bị tố cáo bị từ chối",
    "petition.assigned": "Giao xử lý đơn",
    "petition.assign_refused": "Giao đơn bị từ chối",
    "petition.field": "Sửa thông tin đơn",
    "petition.filer_printed": "In giấy tờ có danh tính người gửi",
    "petition.filer_viewed": "Xem danh tính người gửi",
    "petition.from_reception": "Tạo đơn từ lượt tiếp",
    "petition.lookup_failed": "Tra cứu đơn không thành",
    "petition.received_date": "Sửa ngày nhận đơn",
    "petition.received_date_refused": "Sửa ngày nhận đơn bị từ chối",
    "petition.reveal_refused": "Xem danh tính bị từ chối",
    "petition.take_refused": "Nhận đơn bị từ chối",
    "reception.accused_marked": "Đánh dấu cán bộ bị tố cáo (lượt tiếp)",
    "reception.booking_viewed": "Xem lượt đặt lịch",
    "reception.denouncer_viewed": "Xem danh tính người tố cáo",
    "reception.outcome": "Ghi kết quả tiếp",
    "reception.outcome_sent": "Gửi kết quả tiếp",
    "reception.receiver_cleared": "Bỏ người tiếp bị nêu tên trong đơn tố cáo",
    "reception.receiver_refused": "Đổi người tiếp bị từ chối",
    "reception.receiver_set": "Đặt người tiếp",
    "reception.reveal_refused": "Xem danh tính bị từ chối",
    "reception.schedule_added": "Thêm lịch tiếp định kỳ",
    "reception.session_added": "Thêm buổi tiếp",
    "reception.session_cancelled": "Huỷ buổi tiếp",
    "reception.session_moved": "Dời buổi tiếp",
    "reception.walk_in": "Ghi lượt tiếp trực tiếp",
    "report.download": "Tải báo cáo",
    "role.grant": "Cấp vai trò",
    "role.leader": "Đánh dấu lãnh đạo",
    "role.revoke": "Thu hồi vai trò",
    "staff.open": "Mở chức năng cán bộ",
    "unit.add": "Thêm đơn vị",
    "unit.load": "Nạp danh sách đơn vị",
    "unit.update": "Sửa đơn vị",
}
AUDIT_PETITION_STATUS = "Đơn: {status}"
AUDIT_BOOKING_STATUS = "Lượt tiếp: {status}"
AUDIT_FIELD_WORDS = {
    "role": "vai trò",
    "unit_id": "đơn vị (số)",
    "person": "người",
    "name": "tên",
    "reason": "lý do",
    "status": "trạng thái",
    "keywords": "từ khoá",
    "questions": "câu hỏi",
    "answer": "câu trả lời",
    "title": "tên việc",
    "starts_at": "bắt đầu",
    "expires_at": "hết hạn",
    "created_at": "tạo lúc",
    "receiver": "người tiếp (số)",
    "day": "ngày",
    "due": "hạn",
    "leader": "lãnh đạo",
    "assignee": "người được giao (số)",
    "handler": "người xử lý (số)",
    "received_at": "ngày nhận",
    "channel": "kênh",
    "id": "mã mục",
    "topic": "chủ đề",
    "group": "nhóm",
    "sources": "nguồn",
    "law": "văn bản",
    "number": "số hiệu",
    "article": "điều",
    "note": "ghi chú",
    "amended_note": "ghi chú sửa đổi",
    "day_off_rule": "khi trùng ngày nghỉ",
    "receiver_id": "người tiếp (số)",
    "recurrence": "cách lặp",
    "lead_days": "nhắc trước (ngày)",
    "unit": "đơn vị",
    "place": "địa điểm",
    "capacity": "số chỗ",
    "kind": "hình thức",
    "start": "bắt đầu",
    "end": "kết thúc",
    "weekdays": "các ngày trong tuần",
    "booking": "lượt tiếp",
    "code": "mã",
}
DESK_BAD_DATES = (
    "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, năm từ {first} đến {last}, ví dụ 05/11/2026."
)
DESK_INVITE_AGAIN = (
    "Mã mời của biểu mẫu này đã được tạo lúc {at}, không tạo thêm mã thứ hai. Mã chỉ hiện một "
    "lần; nếu chưa ghi lại được, huỷ mã đó trong danh sách mã đang chờ bên dưới rồi tạo mã mới."
)
DESK_INVITE_OLD_FORM = "Biểu mẫu mời đã cũ: tải lại trang Người dùng rồi tạo mã mời."
DESK_INVITE_CANCELLED = "Đã huỷ mã mời {role} tại {unit}; mã này không dùng được nữa."
DESK_INVITE_GONE = "Mã mời này đã được dùng, đã hết hạn hoặc đã huỷ."
DESK_DEADLINE_TOO_FAR = "Ngày hạn không được sau hôm nay quá {years} năm."
CAL_TOO_FAR = "Chỉ xếp buổi tiếp trong vòng một năm tới."
DESK_ALREADY_REVOKED = "Vai trò này đã được thu hồi trước đó; tải lại trang Người dùng."
DESK_DEADLINE_BAD_BUTTON = "Nút này đã cũ: tải lại trang Hạn báo cáo rồi bấm lại."
DESK_BAD_ASSIGNEE = (
    "Không giao được cho người này: người đó không xử lý được đơn này (không thuộc đơn vị, "
    "không còn vai trò hoặc bị nêu tên trong đơn)."
)
DESK_UNIT_OUT_OF_SCOPE = "Chọn đơn vị trong phạm vi anh/chị quản lý."
DESK_KB_SOURCE_SHAPE = "Mỗi nguồn một dòng: Tên văn bản | Số hiệu | Điều, khoản (| ghi chú nếu có)."
DESK_KB_BAD_SOURCE = 'Nguồn "{line}" chưa đúng dạng. {shape}'
DESK_KB_NOT_SAVED = "Chưa lưu: {problem}"
DESK_KB_SAVED = "Đã lưu. Người dân thấy câu trả lời mới ngay."
DESK_KB_REVERTED = "Đã hoàn tác: mục trở lại như trước lần sửa đã chọn."
DESK_KB_GAP_DISMISSED = "Đã bỏ câu hỏi khỏi danh sách chưa có câu trả lời."
DESK_NOTHING_TO_PRINT = "Đơn ở bước này chưa có giấy tờ đó để in."
# A đơn's page on the desk: a form's labels, not the chat's "Gõ …:" prompts.
DESK_STEP_NOTES = {
    "khong_thu_ly": ("Lý do không thụ lý (gửi cho người gửi đơn)", "lý do không thụ lý"),
    "chuyen": ("Cơ quan có thẩm quyền nhận đơn (gửi cho người gửi đơn)", "cơ quan nhận đơn"),
    "huong_dan": (
        "Cơ quan có thẩm quyền mà người gửi cần gửi đơn đến (gửi cho người gửi đơn)",
        "cơ quan có thẩm quyền",
    ),
    "gia_han": (
        "Lý do gia hạn (chỉ lưu trong hồ sơ, không gửi cho người gửi đơn)",
        "lý do gia hạn",
    ),
    "tam_dinh_chi": ("Lý do tạm đình chỉ (gửi cho người gửi đơn)", "lý do tạm đình chỉ"),
    "dinh_chi": ("Lý do đình chỉ (gửi cho người gửi đơn)", "lý do đình chỉ"),
    "da_giai_quyet": ("Kết quả giải quyết (gửi cho người gửi đơn)", "kết quả giải quyết"),
}
DESK_NOTE_MISSING = "Chưa ghi {what}. Anh/chị ghi vào ô của bước “{step}” rồi bấm lại."
DESK_DUE_ESTIMATE = ", dự kiến"
DESK_EVENT_ACCEPTED = "đã thụ lý"
DESK_VERDICT = "Kết quả giải quyết"
DESK_FIELD = "Lĩnh vực"
DESK_FIELD_NONE = "Chưa ghi lĩnh vực"
DESK_FIELD_PICK = "Chọn lĩnh vực trong danh sách."
# The desk's deadline forms and plan upload (handlers/desk/deadlines.py).
DESK_DEADLINE_BAD_TITLE = "Tên việc phải có từ 5 đến 300 ký tự, trên một dòng."
DESK_DEADLINE_BAD_ONCE = "Chọn ngày hạn từ hôm nay trở đi (ngày/tháng/năm, ví dụ 15/12/2026)."
DESK_DEADLINE_NO_SUCH_DAY = "Tháng {month} không có ngày {day}: chọn ngày khác."
DESK_DEADLINE_PICK_MONTH = "Chọn tháng của hạn."
DESK_DEADLINE_PICK_KIND = "Chọn hạn một lần hay lặp lại (hằng tháng, hằng quý, 6 tháng, hằng năm)."
DESK_DEADLINE_PICK_DAY_OFF = "Chọn cách xử lý khi hạn trùng ngày nghỉ."
DESK_DEADLINE_ADDED = 'Đã thêm hạn "{title}". {when}. Lần hạn tới: {due}.'
DESK_DEADLINE_SAVED = 'Đã lưu hạn "{title}". {when}. Lần hạn tới: {due}.'
# Why an occurrence falls due on another day than the plan's: "(ngày 20/12/2026 là Chủ nhật,
# hạn chuyển lên ngày làm việc trước)".
DEADLINE_MOVED_NOTE = "ngày {day} là {why}, hạn {way}"
DEADLINE_MOVED_EARLIER = "chuyển lên ngày làm việc trước"
DEADLINE_MOVED_LATER = "lùi sang ngày làm việc sau"
DEADLINE_HOLIDAY = "ngày nghỉ lễ, Tết"
# The columns of a plan file (the header row holds the keys), as the desk's import page
# describes them; the sample file has these columns in this order.
PLAN_COLUMNS = {
    "title": "Tên việc, tên báo cáo (bắt buộc).",
    "unit": "Tên hoặc mã đơn vị, ví dụ Xã Minh Hòa (bắt buộc).",
    "due": "Hạn một lần, ngày/tháng/năm, ví dụ 15/01/2027. Ghi cột này hoặc cột recurrence.",
    "recurrence": (
        "Hạn lặp lại: yearly:05/05,05/11 (hằng năm vào các ngày đó), quarterly:3:15 (ngày 15 "
        "tháng cuối quý), monthly:25 (ngày 25 hằng tháng)."
    ),
    "basis": "Căn cứ: văn bản, kế hoạch giao việc (không bắt buộc).",
    "owner_role": "Ai chịu trách nhiệm: official (cán bộ, mặc định) hoặc admin (quản trị).",
    "lead_days": "Nhắc trước bao nhiêu ngày, cách nhau bằng dấu phẩy; mặc định 7, 3, 1, 0.",
    "remind_at": "Giờ gửi nhắc, giờ:phút; mặc định 07:30.",
    "escalate_after_days": "Quá hạn bao nhiêu ngày thì báo cấp trên (không bắt buộc).",
    "day_off_rule": (
        "Hạn rơi vào ngày nghỉ: before (chuyển lên ngày làm việc trước, mặc định), after (lùi "
        "sang ngày làm việc sau) hoặc keep (giữ nguyên)."
    ),
}
PLAN_SAMPLE_YEARLY = "Báo cáo kết quả thực hiện dân chủ ở cơ sở (mẫu)"
PLAN_SAMPLE_ONCE = "Rà soát quy chế thực hiện dân chủ ở cơ sở (mẫu)"
PLAN_SAMPLE_BASIS = "Kế hoạch của cấp trên (ghi số, ngày văn bản)"
DESK_DEADLINE_DELETED = (
    'Đã xoá hạn "{title}": Trợ lý không nhắc việc này nữa; các lần đã nộp vẫn được lưu.'
)
DESK_DEADLINE_UNDONE = 'Đã bỏ đánh dấu đã nộp của "{title}"; lần hạn này lại là chưa nộp.'
DESK_DEADLINE_NOT_DONE = 'Lần hạn này của "{title}" chưa được đánh dấu đã nộp.'
DESK_DEADLINE_IMPORTED = "Đã thêm {added} hạn, cập nhật {updated} hạn đã có."
DESK_DEADLINE_IMPORT_REFUSED = "{count} hạn chưa nạp; sửa trong tệp rồi nạp lại:"
DESK_NO_FILE = "Chọn một tệp để nạp."
DESK_FILE_TOO_BIG = "Tệp {name} lớn quá 1 MB; chia thành nhiều tệp nhỏ hơn rồi nạp lại."
# The desk's knowledge-base pages (handlers/desk/kb.py).
DESK_KB_CREATED = "Đã tạo mục {id}. Người dân hỏi là Trợ lý trả lời bằng mục này ngay."
DESK_KB_IMPORTED = "Đã nạp tệp: {summary}"
DESK_KB_IMPORT_REFUSED = "Tệp có {count} chỗ cần sửa, chưa nạp mục nào:"
# The real date a đơn was received, corrected by its handler (handlers/petitions/received.py).
RECEIVED_NOT_HANDLER = "Chỉ người được giao xử lý đơn (hoặc quản trị) sửa được ngày nhận đơn."
RECEIVED_NOT_YET = "Đơn chưa được ghi nhận là đã nhận, nên chưa có ngày nhận để sửa."
RECEIVED_IN_FUTURE = "Ngày nhận đơn không được sau hôm nay."
RECEIVED_TOO_OLD = "Ngày nhận đơn không được trước hôm nay quá một năm."
RECEIVED_AFTER_ACCEPTED = "Ngày nhận đơn không được sau ngày thụ lý ({day})."
RECEIVED_NO_REASON = "Cần ghi lý do sửa (ít nhất hai từ, 10 ký tự)."
RECEIVED_SAME_DAY = "Ngày nhận đơn đã là {day}; không có gì thay đổi."
RECEIVED_HISTORY_NOTE = "Sửa ngày nhận đơn thực tế: {day} (trước đây {before}). Lý do: {reason}"
RECEIVED_DONE = "Đã sửa ngày nhận đơn {code} thành {day}. Hạn hiện tại: {due}."
# A walk-in written on the desk (handlers/reception/walk_in.py).
WALK_IN_IN_FUTURE = "Ngày tiếp không được sau hôm nay."
WALK_IN_TOO_OLD = "Ngày tiếp không được trước hôm nay quá 31 ngày."
WALK_IN_NO_KIND = "Chọn hình thức tiếp."
WALK_IN_NO_MATTER = "Chọn loại việc."
WALK_IN_BAD_GROUP = "Số người đến phải là một số từ 1 đến 200."
WALK_IN_BAD_GROUP_NAME = (
    "Ghi họ tên người đến, hoặc tên nhóm khi nhiều người cùng đến (ví dụ: Tổ dân phố 3), "
    "ít nhất hai chữ."
)
WALK_IN_BAD_NAME = "Ghi họ và tên người đến, ít nhất hai chữ, chỉ gồm chữ cái."
WALK_IN_BAD_PHONE = (
    "Số điện thoại chưa đúng: số di động có 10 chữ số bắt đầu bằng 03, 05, 07, 08 hoặc 09 (có "
    "thể viết +84); số cố định bắt đầu bằng 02 và có 11 chữ số. Để trống nếu người đến không "
    "cho số."
)
WALK_IN_BAD_ADDRESS = "Ghi địa chỉ từ 4 đến 300 ký tự: thôn hoặc tổ dân phố và xã, phường."
WALK_IN_BAD_SUMMARY = "Ghi nội dung từ 10 đến 1.000 ký tự."
WALK_IN_GROUP_NEEDS_COUNT = (
    'Đây là tên nhóm: ghi "Số người đến" từ 2 trở lên; nếu chỉ một người đến, ghi họ và tên '
    "người đó."
)
# The desk's reception calendar (handlers/desk/calendar.py).
CAL_NO_WEEKDAY = "Chọn ít nhất một ngày trong tuần."
CAL_BAD_DAY = "Chọn ngày tiếp (không phải ngày đã qua)."
CAL_BAD_TIME = "Giờ theo dạng giờ:phút, ví dụ 07:30."
CAL_END_BEFORE_START = "Giờ kết thúc phải sau giờ bắt đầu."
CAL_IN_PAST = "Thời gian này đã qua; chọn một thời điểm sắp tới."
CAL_BAD_PLACE = "Ghi địa điểm tiếp (từ 4 đến 300 ký tự)."
CAL_BAD_TITLE = "Ghi người tiếp hoặc việc của buổi tiếp, ví dụ: Chủ tịch UBND xã (2 đến 200 ký tự)."
CAL_BAD_CAPACITY = "Số chỗ phải là một số từ 1 đến 500."
CAL_BAD_RECEIVER = "Chọn người tiếp trong danh sách cán bộ của đơn vị."
CAL_BAD_REASON = "Ghi lý do (từ 10 đến 300 ký tự); người đã đặt lịch được báo lý do này."
CAL_SAME_TIME = "Buổi tiếp đã ở đúng thời gian này; không có gì thay đổi."
CAL_NOT_OPEN = "Buổi tiếp này không còn mở (đã huỷ hoặc là buổi ghi tiếp trực tiếp)."
CAL_SCHEDULE_SAVED = "Đã thêm lịch tiếp định kỳ ({days}); đã tạo {count} buổi tiếp sắp tới."
CAL_ONE_OFF_SAVED = "Đã thêm buổi tiếp {when}; người dân có thể đặt lịch ngay."
CAL_MOVED = "Đã dời buổi tiếp sang {when}; {told}."
CAL_TOLD = "{count} người đã đặt lịch được báo tin"
CAL_NOBODY_BOOKED = "chưa có ai đặt lịch"
CAL_MOVE_DAY_OFF = (
    "Lưu ý: ngày {day} là {why}, không phải ngày làm việc. Người dân vẫn đặt lịch được vào "
    "buổi này; kiểm tra lại ngày trước khi xác nhận."
)
SESSION_CANCEL_DONE_NOBODY = "Đã huỷ buổi tiếp; chưa có ai đặt lịch."
CAL_REASON_LINE = "\nLý do: {reason}"
CAL_RECEIVER_SAVED = "Đã đặt {name} là người tiếp của lịch này và {count} buổi sắp tới."
CAL_NO_RECEIVER = "Chưa chọn"
# A day as officials write it beside a date ("Thứ Năm 03/12/2026"), Monday first.
WEEKDAY_WORDS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
DESK_RECEIVER_SET = "Đã đặt {name} là người tiếp buổi {when}."
DESK_RECEIVER_CLEARED = "Buổi tiếp {when} chưa có người tiếp (Chưa chọn)."
DESK_RECEIVER_ADMIN_ONLY = (
    "Buổi tiếp này đã có lịch hẹn tố cáo; người tiếp xem được danh tính người tố cáo, nên chỉ "
    "quản trị viên mới chọn, đổi hoặc bỏ người tiếp."
)
# A đơn created from a reception (handlers/desk/intake.py).
INTAKE_NO_KIND = "Chọn loại đơn."
INTAKE_BAD_SUMMARY = "Nội dung đơn cần từ 10 đến 2.000 ký tự."
INTAKE_NOT_YET = "Buổi tiếp ngày {day} chưa diễn ra: chỉ tạo đơn khi công dân đã được tiếp."
INTAKE_EXISTS = "Lượt tiếp này đã có đơn {code}."
INTAKE_NOTE = "Lượt tiếp công dân {code} ngày {day}"
INTAKE_DONE = "Đã tạo đơn {code} từ lượt tiếp {booking}; hạn {due}."
CAL_NOT_MOVED = "Chưa dời được buổi tiếp: xem các ô được đánh dấu bên dưới."
CAL_ALREADY = "Lịch này đã có (cùng ngày, giờ và địa điểm); không thêm lần nữa."
# The desk's Báo cáo page (handlers/desk/reports.py) and the chat's link to it.
DESK_REPORT_BAD_KIND = "Kỳ báo cáo không hợp lệ. Anh/chị chọn lại tháng, quý, 6 tháng hoặc năm."
DESK_REPORT_BAD_YEAR = "Năm báo cáo phải từ {first} đến {last}."
DESK_REPORT_BAD_DAY = (
    "Ngày không hợp lệ. Anh/chị nhập cả hai ngày theo dạng ngày/tháng/năm, ví dụ 01/10/2026."
)
DESK_REPORT_INVERTED = (
    "Ngày bắt đầu ({first}) đang sau ngày kết thúc ({last}). Anh/chị nhập lại: từ ngày trước, "
    "đến ngày sau."
)
DESK_REPORT_FUTURE = (
    "Kỳ báo cáo bắt đầu từ {first}, chưa tới (hôm nay là {today}), nên chưa có số liệu. "
    "Anh/chị chọn kỳ đã bắt đầu."
)
DESK_REPORT_TOO_LONG = (
    "Kỳ báo cáo dài quá: một báo cáo tính tối đa 10 năm, trong các năm 2000-2100."
)
DESK_REPORT_NO_UNIT = "Tài khoản của anh/chị chưa được giao đơn vị nào để lập báo cáo."
REPORT_DESK_LINK = (
    "Xem số liệu, biểu đồ và tải bảng số liệu (XLSX), báo cáo (DOCX) trên trang làm việc:\n{url}\n"
    "Nếu chưa đăng nhập trang làm việc, anh/chị gõ /dangnhap để nhận đường dẫn đăng nhập."
)
WORKBOOK_TOO_BIG = (
    "Tệp Excel này khi mở ra lớn hơn {megabytes} MB (quá nhiều dòng). Anh/chị chia thành nhiều "
    "tệp nhỏ hơn rồi nạp lần lượt."
)
CAL_SLOT_TAKEN = "Lịch định kỳ này đã có một buổi tiếp vào đúng thời gian đó; chọn thời gian khác."
