"""The built-in rules and their text in each shipped language, as a coordinator would write them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# (key, name (in the tenant's language when made), trigger, days, kind key, action, hold hours): the three rules the issue names.
BUILTIN = (
    ("banner", _l("Banner not live 7 days after its start"), "not_live", 7, "web_banner", "email", 24),
    ("discount", _l("Discount not claimed 30 days before its date"), "not_claimed", 30, "discount", "email", 24),
    ("checkin", _l("New contract: check in after 14 days"), "contract_age", 14, None, "task", 0),
)

TEXTS = {
    "banner": {
        "en": ("Your web banner is not live yet",
               "Dear {contact_name},\n\nyour contract {contract} includes a web banner ({deliverable}) that has not "
               "gone live yet. Send us the artwork and the landing page and we will put it online right away.\n\n"
               "If anything is holding it up, just reply to this email.\n\nKind regards,\n{coordinator}"),
        "it": ("Il Suo banner non è ancora online",
               "Gentile {contact_name},\n\nil contratto {contract} comprende un banner web ({deliverable}) che non "
               "è ancora online. Ci invii la grafica e la pagina di destinazione e lo pubblicheremo subito.\n\n"
               "Se qualcosa lo sta bloccando, basta rispondere a questa email.\n\nCordiali saluti,\n{coordinator}"),
        "vi": ("Banner của quý khách chưa được đăng",
               "Kính gửi {contact_name},\n\nhợp đồng {contract} bao gồm một banner web ({deliverable}) hiện vẫn "
               "chưa được đăng. Quý khách vui lòng gửi cho chúng tôi thiết kế và trang đích, chúng tôi sẽ đưa "
               "banner lên ngay.\n\nNếu có vướng mắc gì, quý khách chỉ cần trả lời email này.\n\nTrân trọng,\n"
               "{coordinator}"),
    },
    "discount": {
        "en": ("Your discount is still waiting to be used",
               "Dear {contact_name},\n\na reminder that the discount in your contract {contract} ({deliverable}) "
               "has not been used yet. It is valid until {due_date}: after that date it can no longer be "
               "claimed.\n\nReply to this email and we will help you make the most of it.\n\nKind regards,\n"
               "{coordinator}"),
        "it": ("Il Suo sconto non è ancora stato utilizzato",
               "Gentile {contact_name},\n\nLe ricordiamo che lo sconto previsto dal contratto {contract} "
               "({deliverable}) non è ancora stato utilizzato. È valido fino al {due_date}: dopo quella data non "
               "sarà più possibile richiederlo.\n\nRisponda a questa email e La aiuteremo a sfruttarlo al "
               "meglio.\n\nCordiali saluti,\n{coordinator}"),
        "vi": ("Ưu đãi giảm giá của quý khách chưa được sử dụng",
               "Kính gửi {contact_name},\n\nchúng tôi xin nhắc rằng ưu đãi giảm giá trong hợp đồng {contract} "
               "({deliverable}) vẫn chưa được sử dụng. Ưu đãi có hiệu lực đến {due_date}; sau ngày này quý khách "
               "sẽ không thể sử dụng được nữa.\n\nQuý khách vui lòng trả lời email này, chúng tôi sẽ hỗ trợ để "
               "quý khách tận dụng tối đa ưu đãi.\n\nTrân trọng,\n{coordinator}"),
    },
    "checkin": {
        "en": ("Check in with {account} on contract {contract}",
               "Call {contact_name} to ask how contract {contract} is going so far and whether anything is "
               "missing.\n\nThe contract runs until {due_date}."),
        "it": ("Sentire {account} sul contratto {contract}",
               "Chiamare {contact_name} per sapere come sta andando il contratto {contract} e se manca "
               "qualcosa.\n\nIl contratto è valido fino al {due_date}."),
        "vi": ("Hỏi thăm {account} về hợp đồng {contract}",
               "Gọi cho {contact_name} để hỏi hợp đồng {contract} đang được triển khai thế nào và khách hàng có "
               "cần gì thêm không.\n\nHợp đồng có hiệu lực đến {due_date}."),
    },
}
