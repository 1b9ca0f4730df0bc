"""A new resident's first steps: language, consent, name, form of address, village, household."""

from __future__ import annotations

from bot.engine import address, hints, inputs, linking, texts
from bot.engine.guesses import household_code_wrong, refused, show_code
from bot.engine.menu import show_menu
from bot.engine.reply import Reply
from bot.engine.textnorm import digits
from bot.engine.types import Inbound

NAME_MAX = 60
ONBOARDING_STAGES = (
    "new", "language_first", "consent", "name", "address", "village", "household", "code",
    *linking.STAGES,
)  # fmt: skip


def begin(reply: Reply) -> None:
    """Greet a new resident, then ask for their language (if there is a choice) or consent."""
    reply.say(reply.ui(texts.WELCOME))
    if len(reply.ctx.commune.languages) > 1:
        ask_language(reply, "language_first")
    else:
        ask_consent(reply)


def ask_language(reply: Reply, stage: str) -> None:
    """Offer each enabled language, named in itself."""
    reply.state.stage = stage
    names = reply.ctx.language_names
    options = [(names.get(lang, lang), f"lang:{lang}") for lang in reply.ctx.commune.languages]
    reply.ask(reply.ui(texts.CHOOSE_LANGUAGE), options)


def ask_consent(reply: Reply) -> None:
    """Ask for explicit consent, saying what is kept and how to delete it."""
    reply.state.stage = "consent"
    options = [(reply.ui(texts.AGREE), "agree"), (reply.ui(texts.DISAGREE), "disagree")]
    reply.ask(reply.ui(texts.CONSENT), options, yes_no=("agree", "disagree"))


def reprompt(reply: Reply) -> None:
    """Ask again whatever the current onboarding stage asks."""
    stage = reply.state.stage
    if stage in ("new", "consent"):
        ask_consent(reply)
    elif stage == "language_first":
        ask_language(reply, stage)
    elif stage == "name":
        reply.ask(reply.ui(texts.ASK_NAME))
    elif stage == "address":
        _ask_address(reply)
    elif stage == "village":
        _ask_village(reply)
    elif stage == "household":
        _ask_household(reply)
    elif stage in linking.STAGES:
        linking.ask(reply)
    else:
        reply.ask(reply.ui(texts.ASK_HOUSEHOLD_CODE), [(reply.ui(texts.NEW_HOUSEHOLD), "new")])


def step(reply: Reply, inbound: Inbound, key: str | None) -> None:
    """Handle one message while the resident is onboarding."""
    stage = reply.state.stage
    if stage == "new":
        begin(reply)
    elif stage == "language_first":
        _language_first(reply, key)
    elif stage == "consent":
        _consent(reply, key)
    elif stage == "name":
        _name(reply, inbound)
    elif stage == "address":
        _address(reply, key)
    elif stage == "village":
        _village(reply, key)
    elif stage == "household":
        _household(reply, key)
    elif stage in linking.STAGES:
        linking.answer(reply, inbound, key, reprompt)
    else:
        _code(reply, inbound, key)


def _language_first(reply: Reply, key: str | None) -> None:
    if key and key.startswith("lang:"):
        reply.state.lang = key[5:]
        ask_consent(reply)
    else:
        reprompt(reply)


def _consent(reply: Reply, key: str | None) -> None:
    if key == "agree":
        reply.state.consent = True
        reply.effect("consent", detail=reply.ctx.consent_version)
        reply.event("consent_given", detail=reply.ctx.consent_version)
        reply.state.stage = "name"
        reply.ask(reply.ui(texts.ASK_NAME))
    elif key == "disagree":
        reply.state.stage = "new"
        reply.event("consent_refused")
        reply.say(reply.ui(texts.NO_CONSENT))
    else:  # never a silent no: what each answer does, how to answer here, and ask again
        agree, disagree = reply.ui(texts.AGREE), reply.ui(texts.DISAGREE)
        how = hints.choose_one(reply)
        unclear = reply.ui(texts.CONSENT_UNCLEAR, agree=agree, disagree=disagree)
        reply.say(unclear + "\n" + reply.ui(how.reason, **dict(how.params)))
        ask_consent(reply)


def _name(reply: Reply, inbound: Inbound) -> None:
    checked = inputs.check_name(inbound.text, NAME_MAX)
    if not isinstance(checked, inputs.Valid):
        reply.say(reply.ui(texts.BAD_NAME))
        reply.ask(reply.ui(texts.ASK_NAME))
        return
    reply.state.name = str(checked.value)
    reply.state.stage = "address"
    _ask_address(reply)


def _ask_address(reply: Reply) -> None:
    """Ask how to call the resident: a form of address, or their given name."""
    options = [(address.capital(form), f"address:{form}") for form in address.FORMS]
    given = address.given_name(reply.state.name)
    if given:
        options.append((reply.ui(texts.ADDRESS_BY_NAME, name=given), f"address:{address.BY_NAME}"))
    reply.ask(reply.ui(texts.ASK_ADDRESS), options)


def _address(reply: Reply, key: str | None) -> None:
    if not key or not key.startswith("address:"):
        hints.say_choose_one(reply)
        _ask_address(reply)
        return
    reply.state.address = key.removeprefix("address:")
    villages = reply.ctx.commune.villages
    if len(villages) == 1:
        _village(reply, f"v:{villages[0][0]}")
        return
    reply.state.stage = "village"
    _ask_village(reply)


def _ask_village(reply: Reply) -> None:
    options = [(name, f"v:{vid}") for vid, name in reply.ctx.commune.villages]
    who = address.greeting_name(reply.state, reply.ctx.tr)
    reply.ask(reply.ui(texts.ASK_VILLAGE, who=who), options)


def _village(reply: Reply, key: str | None) -> None:
    if not key or not key.startswith("v:"):
        hints.say_choose_one(reply)
        _ask_village(reply)
        return
    reply.state.village_id = key[2:]
    reply.state.stage = "household"
    if reply.state.pending.get("join_code") and reply.ctx.facts.household_found:
        _join(reply, reply.ctx.facts.household_found)
        return
    _ask_household(reply)


def _ask_household(reply: Reply) -> None:
    reply.state.stage = "household"
    options = [
        (reply.ui(texts.NEW_HOUSEHOLD), "new"),
        (reply.ui(texts.HAVE_CODE), "code"),
        (reply.ui(texts.USED_ELSEWHERE), "link"),
    ]
    reply.ask(reply.ui(texts.ASK_HOUSEHOLD), options, yes_no=("code", "new"))


def _household(reply: Reply, key: str | None) -> None:
    if key == "new":
        _create(reply)
    elif key == "code":
        reply.state.stage = "code"
        reprompt(reply)
    elif key == "link":
        linking.begin(reply)
    else:
        hints.say_choose_one(reply)
        _ask_household(reply)


def _code(reply: Reply, inbound: Inbound, key: str | None) -> None:
    if key == "new":
        _create(reply)
        return
    found = reply.ctx.facts.household_found
    if refused(reply):
        reprompt(reply)
    elif found:
        _join(reply, found)
    else:
        household_code_wrong(reply, len(digits(inbound.text)))
        reprompt(reply)


def _create(reply: Reply) -> None:
    code = reply.ctx.facts.new_household_code
    reply.state.household_code = code
    reply.effect("create_household", detail=code)
    reply.say(reply.ui(texts.HOUSEHOLD_CREATED, code=show_code(code)))
    show_menu(reply)


def _join(reply: Reply, code: str) -> None:
    reply.state.pending.pop("join_code", None)
    reply.state.household_code = code
    reply.effect("join_household", detail=code)
    reply.say(reply.ui(texts.HOUSEHOLD_JOINED, code=show_code(code)))
    show_menu(reply)
