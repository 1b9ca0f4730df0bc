"""The bot's own texts, in Vietnamese (the source language); catalogs translate them."""

from bot.engine.markers import N_

CONSENT_VERSION = "2026-11-1"

WELCOME = N_(
    "Xin chào! Mình là trợ lý của {commune}, giúp bà con làm thủ tục hành chính trên điện thoại, "
    "từng bước một."
)
CONSENT = N_(
    "Trước khi bắt đầu, mình cần {you} đồng ý cho lưu một số thông tin:\n"
    "• tên, thôn và hộ gia đình của {you};\n"
    "• các bước {you} đã làm.\n"
    "Thông tin này chỉ để cán bộ xã biết ai cần giúp. {You} có thể xem bằng cách gõ "
    '"quyền riêng tư", và xoá hết bất cứ lúc nào bằng cách gõ "xoá dữ liệu".\n'
    "Mình không bao giờ hỏi mật khẩu hay mã OTP.\n"
    "{You} có đồng ý không?"
)
AGREE = N_("Đồng ý")
DISAGREE = N_("Không đồng ý")
NO_CONSENT = N_(
    "Mình chưa lưu gì cả. Khi nào {you} muốn được hướng dẫn, nhắn cho mình bất kỳ tin nào."
)
ASK_NAME = N_("{You} tên là gì? (Ví dụ: Bàn Thị Huấn)")
BAD_NAME = N_("{You} gõ tên giúp mình (không quá 60 ký tự).")
ASK_VILLAGE = N_("Chào {who}! {You} ở thôn nào?")
ASK_HOUSEHOLD = N_(
    'Trong nhà đã có ai dùng trợ lý này và có mã hộ chưa? Nếu có, chọn "Đã có mã hộ" và '
    "nhập mã đó để cả nhà chung một hộ."
)
NEW_HOUSEHOLD = N_("Hộ mới")
HAVE_CODE = N_("Đã có mã hộ")
ASK_HOUSEHOLD_CODE = N_(
    "{You} gõ mã hộ: 10 chữ số, ví dụ 4829 1377 05 (hộ làm từ trước có mã 6 chữ số)."
)
HOUSEHOLD_CREATED = N_(
    "Mã hộ của {you} là {code}. Người khác trong nhà có thể nhập mã này để vào cùng hộ."
)
HOUSEHOLD_JOINED = N_("{You} đã vào hộ có mã {code}.")
MENU = N_("{You} muốn làm gì? Bấm một nút bên dưới.")
RESUME = N_("Tiếp tục: {title}")
BACK_TO_MENU = N_("Về menu")
PAUSED = N_(
    "Đã tạm dừng. Bước đang làm vẫn được giữ. Khi nào sẵn sàng, {you} nhắn bất kỳ tin nào "
    "để tiếp tục."
)
REQUIRES = N_('Để làm "{title}", {you} cần làm "{needed}" trước.')
DO_FIRST = N_("Làm bước đó trước")
SKIP_REQUIRES = N_("Tôi đã có rồi")
FLOW_DONE = N_('Xong "{title}". Cảm ơn {you}!')
STALE_BUTTON = N_("Nút đó thuộc câu hỏi trước. Câu hỏi hiện tại là:")
TOO_MANY_TRIES = N_("Có vẻ bước này khó. Mình sẽ nhờ người giúp {you}.")
HELP_CONTACT = N_(
    "Mình đã báo cho {propagandist} ({propagandist_phone}), người hỗ trợ ở thôn {village}. "
    "Cán bộ sẽ gọi điện hoặc đến nhà giúp {you}. Trong lúc chờ, {you} có thể tiếp tục ở đây."
)
HELP_NO_CONTACT = N_(
    "Mình đã báo cho cán bộ xã {commune}. Cán bộ sẽ liên hệ với {you} sớm. Trong lúc chờ, bà "
    "con có thể tiếp tục ở đây."
)
SEND_PHOTO = N_("{You} gửi một ảnh chụp giúp mình.")
NOTHING_TO_GO_BACK = N_("Đây là bước đầu tiên rồi.")
ONLY_ONE_LANGUAGE = N_("Hiện mình chỉ nói được tiếng Việt.")
CHOOSE_LANGUAGE = N_("{You} chọn ngôn ngữ:")
PROGRESS_NONE = N_('{You} chưa hoàn thành bước nào. Gõ "menu" để bắt đầu.')
PROGRESS_HEAD = N_("Những việc {you} đã làm được:")
PROGRESS_CURRENT = N_("Đang làm: {title}.")
PRIVACY = N_(
    "Mình đang lưu về {you}:\n"
    "• tên: {resident_name}\n"
    "• thôn: {village}\n"
    "• mã hộ: {code}\n"
    "• ngôn ngữ, các bước đã làm và câu trả lời trong các hướng dẫn (số giấy tờ chỉ lưu 4 số "
    "cuối).\n"
    'Chỉ cán bộ xã và người hỗ trợ ở thôn được xem, để giúp {you}. Gõ "xoá dữ liệu" để xoá '
    "hết."
)
PRIVACY_NOTHING = N_("Mình chưa lưu thông tin gì của {you}.")
FORGET_CONFIRM = N_(
    "{You} có chắc muốn xoá hết thông tin của mình không? Tên, thôn, hộ và các bước đã làm sẽ "
    "bị xoá, không lấy lại được."
)
FORGET_YES = N_("Xoá hết")
FORGET_NO = N_("Không xoá")
NOT_FORGOTTEN = N_("Chưa xoá gì. {You} tiếp tục nhé.")
SHARE_PHONE = N_("Gửi số điện thoại của tôi")
YES = N_("Có")
NO = N_("Không")
FLOW_CHANGED = N_("Hướng dẫn này vừa được cập nhật. Mình đưa {you} về menu.")
MILESTONES = {
    "vneid_level1": N_("Có tài khoản VNeID mức 1"),
    "vneid_level2": N_("Có tài khoản VNeID mức 2"),
    "vneid_account": N_("Biết dùng tài khoản VNeID"),
    "portal_login": N_("Đăng nhập được Cổng Dịch vụ công"),
}
WORD_DESCRIPTIONS = {
    "menu": N_("Về menu chính"),
    "help": N_("Nhờ cán bộ giúp"),
    "back": N_("Quay lại câu trước"),
    "language": N_("Đổi ngôn ngữ"),
    "progress": N_("Xem tôi đã làm được gì"),
    "stop": N_("Tạm dừng, lúc khác làm tiếp"),
    "privacy": N_("Xem thông tin được lưu về tôi"),
    "forget": N_("Xoá thông tin của tôi"),
}
# What a resident types for each conversation-wide word; a translation adds its own language's
# word (the Vietnamese and English forms in bot/engine/words.py always work).
WORDS_TYPED = {
    "menu": N_("menu"),
    "help": N_("trợ giúp"),
    "back": N_("quay lại"),
    "language": N_("ngôn ngữ"),
    "progress": N_("tiến độ"),
    "stop": N_("tạm dừng"),
    "privacy": N_("quyền riêng tư"),
    "forget": N_("xoá dữ liệu"),
}

# --- hardening: household codes and linking ---
USED_ELSEWHERE = N_("Tôi đã dùng trên Zalo/Telegram khác")
HOUSEHOLD_CODE_WRONG = N_(
    'Không có hộ nào có mã {you} vừa gõ ({count} chữ số). {You} xem lại mã, hoặc chọn "Hộ mới".'
)
CODES_LOCKED = N_("{You} đã gõ sai mã nhiều lần. {You} thử lại sau {minutes} phút nhé.")
CODES_PAUSED = N_(
    "Vừa có quá nhiều mã sai được gõ vào trợ lý, nên mình tạm ngừng nhận mã. {You} thử lại sau "
    "{minutes} phút nhé."
)
LINK_ASK_CODE = N_(
    'Trên Zalo hoặc Telegram mà {you} đã dùng với trợ lý, {you} gõ "liên kết" để nhận mã '
    "liên kết (8 chữ số). Rồi gõ mã đó vào đây."
)
LINK_CANCEL = N_("Thôi, không liên kết")
LINK_CODE_WRONG = N_(
    "Mã liên kết không đúng hoặc đã hết hạn ({you} vừa gõ {count} chữ số). Mã có 8 chữ số và "
    "chỉ dùng được một lần, trong {minutes} phút."
)
LINK_CODE_GIVEN = N_(
    "Mã liên kết của {you}: {code}\n"
    'Trên Zalo hoặc Telegram mới, {you} chọn "Tôi đã dùng trên Zalo/Telegram khác" (hoặc gõ '
    '"liên kết") rồi gõ mã này. Mã dùng được một lần, trong {minutes} phút.\n'
    "Đừng đưa mã này cho ai: người có mã sẽ xem và làm được mọi việc như {you}."
)
LINKED = N_("Đã liên kết. Từ nay {you} dùng trợ lý ở đây cũng như ở nơi cũ, với những việc đã làm.")
LINKED_ELSEWHERE = N_(
    "Một Zalo hoặc Telegram khác vừa được liên kết với {you} bằng mã liên kết, và từ nay xem được "
    'thông tin của {you}. Nếu không phải {you} làm, {you} gõ "trợ giúp" để cán bộ liên hệ.'
)
WORD_DESCRIPTIONS["link"] = N_("Dùng trợ lý trên Zalo/Telegram khác")
WORDS_TYPED["link"] = N_("liên kết")

# --- hardening: forget and input limits ---
TOO_LONG = N_(
    "Tin nhắn này dài quá nên mình chưa đọc được. {You} gửi tin ngắn hơn nhé (không quá {max} "
    "ký tự)."
)

# --- hardening: pipeline ---
NOT_HANDLED = N_(
    'Xin lỗi, mình chưa xử lý được tin này. {You} thử lại, hoặc gõ "trợ giúp" để nhờ cán bộ.'
)

# --- issue 13: part Q (coming back, progress, a tidy chat) ---
WELCOME_BACK = N_("Chào mừng {you} quay lại!")
WHERE = N_("Mình đang giúp {you} bước {step}/{steps} của {title}.")
PROGRESS_NOTHING_DONE = N_("{You} chưa hoàn thành việc nào.")
CONTACT_NOT_ASKED = N_(
    "Câu hỏi này không hỏi số điện thoại, nên mình không dùng số {you} vừa gửi. {You} trả lời "
    "câu hỏi dưới đây nhé."
)

# --- issue 13: validators and error texts ---
HOUSEHOLD_CODE_LENGTH = N_(
    "Mã hộ có 10 chữ số (hộ làm từ trước có 6 chữ số), {you} mới gõ {count} chữ số. "
    '{You} xem lại mã, hoặc chọn "Hộ mới".'
)
HOUSEHOLD_CODE_NO_DIGITS = N_(
    'Mã hộ là một dãy chữ số, ví dụ 4829 1377 05. {You} gõ mã, hoặc chọn "Hộ mới".'
)

# --- issue 13 P2: instructions that fit the channel, and what is not text ---
MENU_TYPED = N_("{You} muốn làm gì? Gõ số của việc cần làm.")
CHOOSE_BUTTON = N_('{You} bấm một nút bên dưới, ví dụ nút "{example}".')
CHOOSE_NUMBER = N_('{You} gõ số của một lựa chọn trong danh sách, ví dụ gõ 1 để chọn "{example}".')
NOT_TEXT = {
    "voice": N_("Mình chưa nghe được tin nhắn thoại."),
    "sticker": N_("Mình chưa hiểu được nhãn dán (sticker)."),
    "location": N_("Mình chưa dùng được vị trí {you} gửi."),
    "video": N_("Mình chưa xem được video."),
}
READS_BUTTONS = N_(
    'Mình chỉ đọc được chữ {you} gõ và nút {you} bấm. Cần người giúp, {you} gõ "trợ giúp".'
)
READS_TYPED = N_('Mình chỉ đọc được chữ và số {you} gõ. Cần người giúp, {you} gõ "trợ giúp".')
FILE_NOT_KEPT = N_("Ở bước này mình không cần ảnh hay tệp, nên mình không giữ lại.")
ID_CARD_WARNING = N_("{You} nhớ: đừng bao giờ gửi ảnh thẻ căn cước cho ai qua tin nhắn.")

# --- issue 13: P1 choices as people say them ---
# More typed forms of yes and no, comma-separated; a translation adds its own language's words
# (the Vietnamese and English forms in bot/engine/matching.py always work).
YES_WORDS = N_("có, ừ, ok, được, vâng, đồng ý, rồi")
NO_WORDS = N_("không, chưa, thôi")
WHICH_ONE = N_("{You} muốn chọn “{first}” hay “{second}”?")
NOT_READ = N_("Mình chưa đọc được tin này. {You} trả lời bằng chữ giúp mình nhé.")
CONSENT_UNCLEAR = N_(
    "Mình chưa rõ {you} chọn gì. “{agree}”: mình lưu tên, thôn, hộ và các bước đã làm để "
    "hướng dẫn {you}. “{disagree}”: mình không lưu gì cả."
)
FORGET_UNCLEAR = N_(
    "Mình chưa rõ {you} chọn gì, nên chưa xoá gì. “{yes}”: xoá hết thông tin của {you}, không "
    "lấy lại được. “{no}”: giữ nguyên và tiếp tục."
)
FORGOTTEN_WHAT = N_("Đã xoá {what} của {you}. Cảm ơn {you} đã dùng trợ lý.")
FORGOTTEN_NAME = N_("tên")
FORGOTTEN_VILLAGE = N_("thôn")
FORGOTTEN_HOUSEHOLD = N_("mã hộ")
FORGOTTEN_STEPS = N_("các bước đã làm cùng câu trả lời")
FORGOTTEN_CONSENT = N_("sự đồng ý đã lưu")
FORGOTTEN_AND = N_("và")
FORGET_NOTHING = N_("Mình chưa lưu thông tin gì của {you}, nên không có gì để xoá.")

# --- issue 13: form of address ---
# "you" mid-sentence for a resident who has not chosen how to be called; a language with one
# word for everyone translates it ("you"), and then every resident is called by it.
YOU = N_("bà con")
ASK_ADDRESS = N_("Mình nên gọi {you} là gì?")
ADDRESS_BY_NAME = N_("Gọi tên {name}")

# --- hardening: broadcasts ---
# The signature under every broadcast, and on messengers without buttons the way to the flow
# a broadcast offers.
BROADCAST_SIGNATURE = N_("— UBND xã {commune}")
BROADCAST_FLOW_HINT = N_('Để làm ngay, gõ "menu" rồi chọn "{title}".')
# To a village's propagandist once a broadcast is done: the households no messenger reached.
TELL_IN_PERSON = N_(
    "Thưa anh/chị {name}, thông báo số {number} chưa đến được {count} hộ ở {village}. "
    "Nhờ anh/chị báo tận nơi:"
)
TELL_IN_PERSON_LINE = N_("{n}. {name} — hộ {code} — {village}")
NO_HOUSEHOLD = N_("chưa có mã hộ")
