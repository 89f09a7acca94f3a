"""What other features may listen for. Receivers run after the change is committed."""
from blinker import Namespace

_signals = Namespace()

# sender: the Flask app; kwargs: contract (the Contract, just signed), actor_id (who signed it).
contract_signed = _signals.signal("contract-signed")
