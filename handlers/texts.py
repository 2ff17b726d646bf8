"""Every Vietnamese sentence the assistant says, in one place.

Voice (DESIGN.md): the assistant is "Trợ lý", addresses people as "anh/chị", answers first,
short plain sentences, dates dd/mm/yyyy, never invents.
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

FALLBACK = (
    "Xin lỗi anh/chị, câu hỏi này nằm ngoài những gì Trợ lý biết. Trợ lý chỉ trả lời về dân chủ "
    "ở cơ sở, tiếp công dân, khiếu nại, tố cáo, kiến nghị và phản ánh. Với việc khác, anh/chị "
    "vui lòng liên hệ bộ phận một cửa của UBND xã, phường."
)
UNCLEAR = (
    "Trợ lý chưa đọc được nội dung tin nhắn. Anh/chị vui lòng gõ câu hỏi bằng chữ, hoặc chọn "
    "một mục bên dưới."
)
TOO_LONG = (
    "Tin nhắn dài quá {limit} ký tự nên Trợ lý chưa xử lý được. Anh/chị vui lòng gửi ngắn gọn "
    "hơn, chia thành nhiều tin nếu cần."
)
STALE_BUTTON = (
    "Nút này thuộc một tin nhắn cũ hoặc không còn hiệu lực. Anh/chị chọn lại từ menu bên dưới."
)
UNKNOWN_COMMAND = "Trợ lý không có lệnh này. Anh/chị chọn một mục bên dưới hoặc gõ câu hỏi."
ENTRY_GONE = "Nội dung này hiện không còn. Anh/chị vui lòng hỏi lại."
THANKS = "Trợ lý cảm ơn anh/chị. Anh/chị cần hỏi thêm gì cứ nhắn."

COMING_RECEPTION = (
    "Chức năng đăng ký lịch tiếp công dân qua Trợ lý đang được hoàn thiện. Hiện anh/chị có thể "
    "đến trực tiếp bộ phận tiếp công dân tại trụ sở UBND xã, phường trong giờ hành chính; lịch "
    "tiếp của Chủ tịch được niêm yết tại trụ sở."
)
COMING_PETITION = (
    "Chức năng gửi đơn thư qua Trợ lý đang được hoàn thiện. Hiện anh/chị có thể nộp đơn trực "
    "tiếp hoặc gửi qua bưu điện đến UBND xã, phường. Đơn khiếu nại, tố cáo cần ghi rõ họ tên, "
    "địa chỉ và có chữ ký hoặc điểm chỉ của người gửi."
)
COMING_STATUS = (
    "Chức năng tra cứu đơn qua Trợ lý đang được hoàn thiện. Hiện anh/chị vui lòng liên hệ bộ "
    "phận tiếp công dân của UBND xã, phường và cung cấp ngày nộp đơn để được trả lời."
)
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
CODE_LOCKED = "Anh/chị đã nhập sai mã quá 5 lần. Vui lòng thử lại sau 1 giờ."
CODE_PRIVATE_ONLY = "Vì an toàn, mã chỉ dùng được trong tin nhắn riêng với Trợ lý."
LINKED = "Đã liên kết kênh này với tài khoản của anh/chị."
LINK_CODE = (
    "Mã liên kết của anh/chị là {code}, dùng được trong 15 phút. Gửi mã này cho Trợ lý trên "
    "kênh khác (Zalo, Telegram hoặc trang web) để dùng chung một tài khoản."
)
STAFF_MENU_BUTTON = "Việc của cán bộ"
STAFF_MENU = "Các chức năng dành cho cán bộ, công chức. Anh/chị chọn một mục."
STAFF_WHOAMI_BUTTON = "Vai trò của tôi"
STAFF_WHOAMI = "Anh/chị là {roles}."
STAFF_RECEPTION = "Lịch tiếp công dân"
STAFF_PETITIONS = "Hàng đợi đơn thư"
STAFF_DEADLINES = "Hạn báo cáo"
STAFF_REPORTS = "Số liệu báo cáo"
KB_ADMIN_BUTTON = "Quản lý kho câu hỏi"
STAFF_COMING = "Chức năng này đang được hoàn thiện và sẽ có trong các bản cập nhật tới."
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
KB_SAVE = "Lưu"
KB_CANCEL = "Hủy"
KB_SAVED = "Đã lưu mục {id}. Các tiến trình sẽ dùng nội dung mới sau vài giây."
KB_CANCELLED = "Đã hủy, không có gì thay đổi."
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
    "(Tin nhắn này được gửi qua đây vì {channel} chỉ cho phép trả lời trong 7 ngày kể từ tin "
    "nhắn gần nhất của anh/chị.)\n\n"
)
HELD_NOTE = (
    "(Tin nhắn này được soạn lúc {when} nhưng chưa gửi được qua {channel} vì đã hơn 7 ngày "
    "anh/chị chưa nhắn cho trợ lý. Nay xin gửi lại.)\n\n"
)
ZALO_OA_REFRESH_FAILED = (
    "Cảnh báo: trợ lý không gia hạn được mã truy cập Zalo OA (lỗi: {error}). Tin nhắn Zalo của "
    "người dân đang không trả lời được. Quản trị viên Zalo OA cần cấp quyền lại cho ứng dụng "
    "trong trang quản lý Zalo, rồi cập nhật mã mới."
)
ATTACHMENT_NOT_NOW = (
    "Trợ lý chưa nhận ảnh hay tệp ở bước này, nên tệp của anh/chị không được lưu lại. "
    "Anh/chị vui lòng gõ câu hỏi bằng chữ, hoặc chọn một mục bên dưới."
)
