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
    "Cán bộ sẽ nhắn tin, gọi điện hoặc đến nhà giúp {you}. Nếu sau một ngày chưa có ai liên "
    "hệ, {you} gọi số {propagandist_phone}; mình cũng sẽ báo lên cán bộ xã. Trong lúc chờ, "
    "{you} có thể tiếp tục ở đây."
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

# --- issue 10: follow-ups ---
HELP_CONTACT_NO_PHONE = N_(
    "Mình đã báo cho {propagandist}, người hỗ trợ ở thôn {village}. Cán bộ sẽ nhắn tin qua "
    "đây hoặc đến nhà giúp {you}. Nếu sau một ngày chưa có ai liên hệ, mình sẽ báo lên cán bộ "
    "xã; {you} cũng có thể đến Uỷ ban nhân dân xã {commune}. Trong lúc chờ, {you} có thể tiếp "
    "tục ở đây."
)
HELP_OFFICIALS = N_(
    "Mình đã báo cho cán bộ xã {commune}. Cán bộ sẽ nhắn tin qua đây, gọi điện hoặc đến nhà "
    "giúp {you}. Nếu sau một ngày chưa có ai liên hệ, {you} đến Uỷ ban nhân dân xã. Trong lúc "
    "chờ, {you} có thể tiếp tục ở đây."
)
HELP_NOBODY = N_(
    "Mình đã ghi lại là {you} cần người giúp, để cán bộ xã {commune} xem. Hiện mình chưa nhắn "
    "được cho cán bộ nào, nên nếu cần gấp, {you} đến Uỷ ban nhân dân xã hoặc nhờ trưởng thôn. "
    "Trong lúc chờ, {you} có thể tiếp tục ở đây."
)
# Staff texts (follow-ups); staff read Vietnamese.
FU_CARD = N_(
    "🔔 Cần người giúp (việc số {id}): {name}, thôn {village}.\n"
    "Đang làm: {where}.\n"
    "Lý do: {reasons}.\n"
    "Mở {ago}.{recent}"
)
FU_RECENT = N_("Tin gần nhất: {texts}")
FU_NO_FLOW = N_("chưa vào hướng dẫn nào")
FU_WHERE = N_("{title}, bước {step}/{steps}")
FU_REASONS = {
    "asked": N_("tự nhờ người giúp"),
    "retries": N_("trả lời sai nhiều lần ở một bước"),
    "handoff": N_("đến bước cần người giúp"),
    "idle": N_("bỏ dở quá lâu, đã nhắc mà chưa làm tiếp"),
    "loop": N_("hướng dẫn bị lỗi"),
}
FU_AGO_NOW = N_("vừa xong")
FU_AGO_MINUTES = N_("{n} phút trước")
FU_AGO_HOURS = N_("{n} giờ trước")
FU_AGO_DAYS = N_("{n} ngày trước")
FU_CLAIM = N_("Nhận việc này")
FU_RELAY = N_("Nhắn cho người dân")
FU_VISIT = N_("Ghi lần đến nhà")
FU_RESOLVE = N_("Đã xong")
FU_HANDON = N_("Chuyển người khác")
REMINDER = N_(
    "{You} còn đang làm dở một việc. {where} Trả lời câu hỏi dưới đây để làm tiếp nhé. Cần "
    'người giúp, {you} gõ "trợ giúp".'
)
FU_ESCALATED = N_("Chưa ai nhận việc này sau {hours} giờ, nên mình báo lên cán bộ xã:")
FU_HOLDER_REMINDER = N_(
    "Nhắc anh/chị {name}: việc số {id} anh/chị đã nhận mà {days} ngày nay chưa cập nhật. "
    "Anh/chị xem lại giúp nhé:"
)

# --- staff: the desk and invitations ---
STAFF_MENU = N_("Thưa anh/chị {name}, anh/chị cần làm việc gì? Chọn một việc dưới đây.")
STAFF_MENU_TYPED = N_("Thưa anh/chị {name}, anh/chị cần làm việc gì? Gõ số của việc cần làm.")
STAFF_NOT_YOURS = N_("Thưa anh/chị {name}, việc này không thuộc phần việc của anh/chị.")
STAFF_WHOAMI_LABEL = N_("Tôi là ai")
STAFF_WHOAMI = N_(
    "Thưa anh/chị {name}: anh/chị là {role} của {commune}.\nThôn: {villages}.\nKênh: {channels}."
)
STAFF_ROLE_OFFICIAL = N_("cán bộ xã")
STAFF_ROLE_PROPAGANDIST = N_("tuyên truyền viên")
STAFF_ALL_VILLAGES = N_("cả xã")
STAFF_INVITE_LABEL = N_("Mời cán bộ")
STAFF_INVITE_ASK_ROLE = N_("Anh/chị mời người làm việc gì?")
STAFF_INVITE_OFFICIAL = N_("Cán bộ xã")
STAFF_INVITE_PROPAGANDIST = N_("Tuyên truyền viên thôn")
STAFF_INVITE_ASK_VILLAGE = N_("Tuyên truyền viên của thôn nào?")
STAFF_INVITE_MADE = N_(
    "Đã tạo lời mời làm {role} ({villages}), dùng được một lần, trong 72 giờ.\n"
    "Trên Zalo hoặc Telegram, người được mời gõ mã: {code}"
)
STAFF_INVITE_LINK = N_("Hoặc mở đường dẫn này trên Telegram: {link}")
STAFF_WELCOME = N_("Chào anh/chị! Từ nay anh/chị là {role} ({villages}) của {commune} trên trợ lý.")
STAFF_INVITE_REFUSED = N_(
    "Mã mời này không dùng được: mã sai, đã hết hạn hoặc đã được dùng. Anh/chị xin cán bộ xã "
    "một mã mời mới nhé."
)
STAFF_INVITE_LOCKED = N_("Đã có nhiều mã mời sai được gõ. Anh/chị thử lại sau {minutes} phút nhé.")
STAFF_ONLY = N_("Việc này chỉ dành cho cán bộ xã và tuyên truyền viên, nên mình không làm được.")

# --- flows: the grouped menu ---
# Past eight entries the main menu groups the flows; each group opens its own short list.
MENU_GROUPS = {
    "account": N_("Tài khoản VNeID"),
    "justice": N_("Khai sinh, khai tử, kết hôn"),
    "residence": N_("Cư trú"),
    "labor_social": N_("Trợ cấp"),
    "other": N_("Thủ tục khác"),
}
MENU_GROUP = N_("{group}: {You} chọn việc cần làm.")
MENU_GROUP_TYPED = N_("{group}: {You} gõ số của việc cần làm.")
FU_LIST_LABEL = N_("Việc cần giúp")
FU_LIST_NONE = N_("Thưa anh/chị {name}, hiện không có việc cần giúp nào đang chờ.")
FU_LIST_HEAD = N_("Thưa anh/chị {name}, các việc đang mở (cũ nhất trước):")
FU_LIST_LINE = N_("• Số {id}: {who}, thôn {village}, {ago}, {state}")
FU_LIST_OPEN = N_("chưa ai nhận")
FU_LIST_HELD = N_("{holder} đang giữ")
FU_SEE = N_("Xem việc số {id}")
FU_NOT_FOUND = N_("Thưa anh/chị {name}, không có việc số {id} trong các thôn anh/chị phụ trách.")
FU_CLAIMED = N_("Anh/chị đã nhận việc số {id}. Người dân sẽ được báo khi anh/chị giải quyết xong.")
FU_TAKEN = N_("Việc số {id} đã có {holder} nhận rồi.")
FU_TAKEN_NOTE = N_("Việc số {id} ({who}) đã có {holder} nhận.")
FU_RESOLVE_ASK = N_("Việc số {id} kết thúc thế nào?")
FU_OUTCOMES = {
    "done": N_("Đã giúp xong"),
    "no_need": N_("Không cần giúp nữa"),
    "unreachable": N_("Không liên lạc được"),
}
FU_RESOLVED = N_("Đã ghi: việc số {id} xong ({outcome}).")
FU_RESIDENT_RESOLVED = N_(
    '{helper} đã ghi là việc {you} nhờ giúp đã xong. Cần giúp thêm, {you} gõ "trợ giúp".'
)
RELAY_OPENED = N_(
    "{helper}, người hỗ trợ ở thôn, nhắn với {you} qua đây. {You} trả lời như nhắn tin bình "
    'thường; xong thì gõ "kết thúc".'
)
RELAY_FROM = N_("{helper} nhắn: {text}")
RELAY_ENDED = N_("Cuộc nhắn tin với cán bộ đã kết thúc. Mình tiếp tục với {you} ở bước đang làm:")
FU_RELAY_STARTED = N_(
    "Anh/chị đang nhắn với {who} (việc số {id}). Mỗi tin anh/chị gửi sẽ tới {who}, ghi tên "
    'anh/chị. Gõ "kết thúc" để dừng.'
)
FU_RELAY_IN = N_("{who} (việc số {id}) trả lời: {text}")
FU_RELAY_STOPPED = N_("Đã kết thúc cuộc nhắn với {who} (việc số {id}).")
FU_RELAY_STOPPED_BY_RESIDENT = N_("{who} đã kết thúc cuộc nhắn (việc số {id}).")
FU_RELAY_BUSY = N_("{who} đang nhắn với {holder}; anh/chị chờ cuộc nhắn đó kết thúc nhé.")
FU_SENT_BACK = N_("Mình đưa {you} về lại bước cần làm:")
FU_BACK = N_("Xong, đưa người dân về một bước")
FU_BACK_ASK = N_("Đưa {who} về bước nào của “{title}”?")
FU_STEP = N_("Bước {n}: {text}")
FU_SENT_BACK_STAFF = N_("{who} đã được đưa về bước {n} của “{title}”.")
FU_HANDON_ASK = N_("Chuyển việc số {id} cho ai?")
FU_TO_OFFICIALS = N_("Cán bộ xã")
FU_NOTE_ASK = N_("Anh/chị ghi vài lời (tình hình, việc còn lại), rồi gửi:")
FU_HANDED = N_("Đã chuyển việc số {id} cho {to}.")
FU_HANDED_TO_YOU = N_("{from_name} chuyển cho anh/chị việc số {id}. Ghi chú: {note}")
FU_HISTORY = N_("Những gì đã làm:\n{lines}")
FU_EVENTS = {
    "opened": N_("mở"),
    "reason": N_("thêm lý do"),
    "claim": N_("nhận việc"),
    "relay_open": N_("bắt đầu nhắn"),
    "message": N_("nhắn"),
    "relay_end": N_("kết thúc nhắn"),
    "visit": N_("đến nhà"),
    "handon": N_("chuyển việc"),
    "escalated": N_("báo lên cán bộ xã"),
    "resolve": N_("xong"),
}
FU_VISIT_ASK = N_("Lần đến nhà cho việc số {id} thế nào?")
FU_VISIT_OUTCOMES = {
    "met": N_("Đã gặp và hướng dẫn"),
    "away": N_("Không gặp được"),
}
FU_VISIT_MILESTONE = N_("Tại nhà, anh/chị thấy người dân đã làm được gì?")
FU_NO_MILESTONE = N_("Chưa có gì mới")
FU_VISIT_SAVED = N_("Đã ghi lần đến nhà cho việc số {id}.")
FU_VISIT_SAVED_MILESTONE = N_(
    "Đã ghi lần đến nhà cho việc số {id}, và {who}: {milestone} (có người giúp)."
)
FU_RESIDENT_ACTOR = N_("người dân")
FU_BOT_ACTOR = N_("trợ lý")
HH_LABEL = N_("Hộ cần đến thăm")
HH_NONE = N_("Thưa anh/chị {name}, các thôn anh/chị phụ trách chưa có hộ nào dùng trợ lý.")
HH_HEAD = N_("Thưa anh/chị {name}, các hộ (cần đến thăm nhất ở trên):")
HH_LINE = N_("• Hộ {code} ({village}): {members}. {reach} {done} {open} Lần cuối: {last}.")
HH_REACHABLE = N_("Nhắn được qua trợ lý.")
HH_UNREACHABLE = N_("Không nhắn được qua trợ lý.")
HH_NOTHING_DONE = N_("Chưa làm được bước nào.")
HH_DONE = N_("Đã làm: {milestones}.")
HH_HELPED = N_("có người giúp")
HH_OPEN = N_("{n} việc cần giúp đang mở.")
ASSIST_LABEL = N_("Làm giúp tại nhà")
ASSIST_CONSENT = N_(
    "Trước khi làm giúp, anh/chị hỏi {who} có đồng ý để cán bộ làm giúp trên điện thoại của cán "
    "bộ, và ghi lại là có người giúp không."
)
ASSIST_YES = N_("Người dân đồng ý")
ASSIST_NO = N_("Người dân không đồng ý")
ASSIST_REFUSED = N_(
    "Đã ghi: {who} không đồng ý. Anh/chị có thể hướng dẫn {who} tự làm trên điện thoại của mình."
)
ASSIST_STARTED = N_(
    'Anh/chị đang làm giúp {who}. Mỗi tin anh/chị gửi là câu trả lời của {who}; gõ "kết thúc" '
    "khi xong. Câu hỏi hiện tại:"
)
ASSIST_NOT_HERE = N_("Việc này ({word}) người dân phải tự làm trên điện thoại của mình.")
ASSIST_DONE = N_(
    "Đã kết thúc làm giúp {who}. Người dân làm tiếp được từ bước này trên điện thoại của mình."
)
ASSISTED_RESIDENT = N_(
    "Cán bộ vừa giúp {you} làm tiếp tại nhà. Khi nào muốn, {you} làm tiếp ở đây, từ bước này:"
)
# --- reports: the commune's progress on the desk ---
STAFF_REPORT_LABEL = N_("Báo cáo tiến độ")
STAFF_REPORT_HEAD = N_("Tiến độ của {place} đến hết ngày {day}:")
STAFF_REPORT_LINE = N_(
    "• {village}: {on_bot}/{people} người dùng trợ lý ({households} hộ); VNeID mức 2: {level2}; "
    "đăng nhập Cổng DVC: {portal}; đã nộp hồ sơ trực tuyến: {submitted} người ({submitted_hh} hộ)"
)
STAFF_REPORT_NONE = N_("Thưa anh/chị {name}, anh/chị chưa được giao thôn nào nên chưa có số liệu.")
STAFF_REPORT_TOTAL = N_("Cộng các thôn")
STAFF_REPORT_COMMUNE = N_("Toàn xã")
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
# --- compose: officials' broadcasts in the chat ---
BC_LABEL = N_("Gửi thông báo")
BC_ASK_TEXT = N_(
    'Thưa anh/chị {name}, anh/chị gõ nội dung thông báo gửi bà con (một tin). Gõ "huỷ" để thôi.'
)
BC_UNSAFE = N_("Thông báo này chưa gửi được:")
BC_UNSAFE_SECRET = N_(
    "• Thông báo không được nhắc đến mật khẩu, mã OTP hay mã xác thực: kẻ gian hay lừa bà con "
    "bằng những tin như vậy, nên trợ lý không bao giờ hỏi những thứ này."
)
BC_UNSAFE_LINK = N_("• Đường link {host} không được phép: link chỉ được dẫn đến {domains}.")
BC_UNSAFE_LENGTH = N_("• Thông báo trống hoặc quá dài (tối đa {max} ký tự).")
BC_RETYPE = N_("Anh/chị sửa lại rồi gõ lại toàn bộ nội dung thông báo.")
BC_ASK_AUDIENCE = N_("Gửi cho ai? Chọn cả xã, hoặc chọn từng thôn (chọn được nhiều thôn).")
BC_EVERYONE = N_("Cả xã")
BC_VILLAGES_DONE = N_("Xong, gửi các thôn đã chọn")
BC_CHOSEN = N_("Đã chọn: {villages}. Chọn thêm thôn, hoặc chọn xong.")
BC_ASK_WHEN = N_(
    'Gửi khi nào? Chọn "Gửi ngay", hoặc gõ ngày giờ theo giờ Việt Nam, ví dụ "8:00 3/12" '
    'hoặc "mai 8h".'
)
BC_NOW = N_("Gửi ngay")
BC_BAD_WHEN = N_('Trợ lý chưa hiểu thời gian này. Anh/chị gõ ví dụ "8:00 3/12" hoặc "mai 8h".')
BC_PAST = N_("Thời gian {when} đã qua. Anh/chị gõ một thời gian sắp tới.")
BC_PREVIEW = N_("Thông báo số {number}. Bà con sẽ nhận được đúng như tin dưới đây:")
BC_COUNT_LINE = N_(
    "• {village}, {channel}: {count} người ({reachable} người nhận được qua tin nhắn)"
)
BC_COUNT_TOTAL = N_("Tổng cộng {total} người. Gửi lúc: {when}.")
BC_COUNT_NONE = N_("Chưa có người dân nào trong nhóm này dùng trợ lý: không ai nhận được.")
BC_QUIET = N_("Giờ này là giờ nghỉ: thông báo sẽ gửi lúc {when}.")
BC_CONFIRM = N_("Gửi thông báo này")
BC_CANCEL = N_("Huỷ thông báo")
BC_SCHEDULED = N_("Đã xác nhận thông báo số {number}. Trợ lý sẽ gửi lúc {when}.")
BC_SENDING = N_(
    'Đã xác nhận thông báo số {number}. Trợ lý đang gửi; xem kết quả ở "Thông báo đã gửi".'
)
BC_ASKED_SECOND = N_(
    "Thông báo số {number} gửi đến {total} người, nên cần một cán bộ khác xác nhận. Trợ lý đã "
    "nhờ {who}."
)
BC_SECOND = N_(
    "Thưa anh/chị {name}, {author} vừa soạn thông báo số {number} gửi {total} người. Nhờ "
    'anh/chị đọc tin dưới đây; nếu đúng, anh/chị xác nhận hoặc gõ "/broadcast {number}".'
)
BC_WAIT = N_(
    "Thông báo số {number} gửi đến {total} người. Anh/chị đọc kỹ bản xem trước, sau 1 phút "
    'chọn "Gửi thông báo này" lần nữa để gửi.'
)
BC_NOT_DRAFT = N_("Thông báo số {number} đã được xác nhận hoặc đã huỷ trước đó.")
BC_CANCELLED = N_("Đã huỷ thông báo số {number}. Những tin chưa gửi sẽ không gửi nữa.")
BC_NOTHING_TO_CANCEL = N_("Thông báo số {number} đã gửi xong hoặc đã huỷ, không huỷ được nữa.")
BC_LIST_LABEL = N_("Thông báo đã gửi")
BC_LIST_NONE = N_("Chưa có thông báo nào.")
BC_LIST_ITEM = N_("Thông báo số {number} ({status}, gửi lúc {when}): {words}")
BC_REPORT_LINE = N_(
    "• {village}, {channel}: chờ {queued}, đã gửi {sent}, lỗi {failed}, không liên lạc được "
    "{unreachable}"
)
BC_REPORT_TAPS = N_("Số người đã bấm nút: {taps}.")
BC_CANCEL_ONE = N_("Huỷ thông báo số {number}")
BC_STATUS_DRAFT = N_("bản nháp")
BC_STATUS_HELD = N_("chờ xác nhận")
BC_STATUS_SCHEDULED = N_("đã hẹn giờ")
BC_STATUS_SENDING = N_("đang gửi")
BC_STATUS_DONE = N_("đã gửi xong")
BC_STATUS_CANCELLED = N_("đã huỷ")
BC_CONFIRM_ASK = N_("Gửi thông báo số {number}?")
BC_NO_VILLAGE = N_("chưa rõ thôn")
BC_ASK_FLOW = N_(
    "Kèm một nút để bà con bấm vào làm ngay một việc? Chọn việc, hoặc chọn không kèm nút."
)
BC_NO_FLOW = N_("Không kèm nút")
BC_ASK_LANG = N_("Gửi cho bà con đọc mọi ngôn ngữ, hay chỉ những người chọn một ngôn ngữ?")
BC_ALL_LANGUAGES = N_("Mọi ngôn ngữ")
