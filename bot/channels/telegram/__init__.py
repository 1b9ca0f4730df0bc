"""The Telegram channel: updates in, Bot API calls out, through python-telegram-bot."""

import os

# Opt in now to python-telegram-bot's coming change: durations such as RetryAfter.retry_after
# as datetime.timedelta (the sender reads either form).
os.environ.setdefault("PTB_TIMEDELTA", "true")
