"""The languages a commune may enable, each named in itself, as a resident would look for it."""

LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "tyz": "Tày",
    "nut": "Nùng",
    "ium": "Dao (Iu Mien)",
    "mji": "Dao (Kim Mun)",
    "mlc": "Sán Chay",
    "hmn": "Hmoob",
    "hnj": "Hmoob Njua",
    "mww": "Hmoob Dawb",
}
