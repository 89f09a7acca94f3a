"""Carriers: what their tracking numbers look like and where a number is followed (a link, never a lookup from here)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Carrier:
    name: str
    pattern: re.Pattern | None  # None: any number of 3-40 letters, digits and dashes (a custom carrier)
    url: str | None  # {number} is replaced by the tracking number
    example: str


CARRIERS = {
    # DHL Express waybills are 10 digits; DHL eCommerce/Parcel numbers start with JJD.
    "dhl": Carrier("DHL", re.compile(r"\d{10}|JJD\d{18,20}"),
                   "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
                   "1234567890"),
    "fedex": Carrier("FedEx", re.compile(r"\d{12}|\d{15}|\d{20}|\d{22}"),
                     "https://www.fedex.com/fedextrack/?trknbr={number}", "123456789012"),
    "ups": Carrier("UPS", re.compile(r"1Z[0-9A-Z]{16}"), "https://www.ups.com/track?tracknum={number}",
                   "1Z999AA10123456784"),
    "tnt": Carrier("TNT", re.compile(r"\d{9}|[A-Z]{2}\d{9}[A-Z]{2}"),
                   "https://www.tnt.com/express/en_gb/site/shipping-tools/tracking.html?searchType=con&cons={number}",
                   "123456789"),
    "dbschenker": Carrier("DB Schenker", re.compile(r"[0-9A-Z]{8,20}"),
                          "https://www.dbschenker.com/app/tracking-public/?refNumber={number}", "SEL123456789"),
    # Vietnam Post uses the UPU S10 format: two letters, nine digits, VN.
    "vnpost": Carrier("Vietnam Post", re.compile(r"[A-Z]{2}\d{9}VN"),
                      "https://vnpost.vn/tra-cuu-hanh-trinh/buu-pham?key={number}", "EE123456789VN"),
    "custom": Carrier("", None, None, "ABC-12345"),
}
CUSTOM_NUMBER = re.compile(r"[0-9A-Z-]{3,40}")
CARRIER_LABELS = {key: (c.name or _l("Another carrier")) for key, c in CARRIERS.items()}


def normalise(number: str | None) -> str | None:
    """A tracking number as carriers print it: capitals, no spaces."""
    text = "".join((number or "").split()).upper()
    return text or None


def tracking_problem(carrier: str, number: str | None) -> str | None:
    """Why a tracking number cannot be this carrier's (the reader's message), or None when it fits."""
    if number is None or carrier not in CARRIERS:
        return None
    spec = CARRIERS[carrier]
    if (spec.pattern or CUSTOM_NUMBER).fullmatch(number):
        return None
    if spec.pattern is None:
        return str(_l("Use 3 to 40 letters, digits or dashes."))
    return str(_l("This is not a %(carrier)s tracking number. They look like %(example)s.", carrier=spec.name,
                  example=spec.example))


def url_pattern_problem(pattern: str | None) -> str | None:
    if not pattern:
        return str(_l("Give the carrier's tracking address, with {number} where the number goes."))
    if not pattern.lower().startswith("https://") or "{number}" not in pattern:
        return str(_l("Give the carrier's tracking address, with {number} where the number goes."))
    return None


def tracking_url(carrier: str, number: str | None, custom_pattern: str | None = None) -> str | None:
    """Where the carrier shows this parcel, or None (no number yet, or a custom carrier without an address)."""
    if not number:
        return None
    pattern = custom_pattern if carrier == "custom" else CARRIERS.get(carrier, CARRIERS["custom"]).url
    return pattern.replace("{number}", quote(number, safe="")) if pattern else None
