"""One HTTP endpoint per process (Starlette on uvicorn): messenger webhooks and the flows' media."""

from bot.channels.http.endpoint import HttpEndpoint
from bot.channels.http.limits import Limits
from bot.channels.http.routes import Deliver, Verify

__all__ = ["Deliver", "HttpEndpoint", "Limits", "Verify"]
