"""What other features may listen for. Receivers run inside the transaction of the change."""
from blinker import Namespace

_signals = Namespace()

# sender: the Flask app; kwargs: lead (just converted), account and contract (made or used for it).
lead_converted = _signals.signal("lead-converted")
