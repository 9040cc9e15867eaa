"""The method's vocabulary, defined once: the six steps, the acts and what kind each is, the endings and
channels. The engine, the scoring, the analysis, the game, the map and the report all read these names."""
from __future__ import annotations

# The six steps of handling a complaint, in order.
STEPS = ("listen", "acknowledge", "ask", "solve", "agree", "follow_up")

# Acts that take a step (an apology counts as showing understanding).
STEP_OF_ACT = {"listen": "listen", "acknowledge": "acknowledge", "apologize": "acknowledge", "ask": "ask",
               "solve": "solve", "agree": "agree", "follow_up": "follow_up"}

# Setting boundaries with an abusive customer.
BOUNDARY_ACTS = ("set_limit", "warn", "end_contact", "hand_over", "offer_channel")
LADDER_ACTS = ("set_limit", "warn", "end_contact")           # the rungs, in order
LIMIT_ACTS = frozenset(LADDER_ACTS)                            # a limit aimed at the customer
BOUNDARY_ANSWERS = frozenset({"set_limit", "warn", "end_contact", "hand_over"})  # abuse answered, not tolerated
DOOR_OPENERS = frozenset({"solve", "hand_over", "offer_channel"})  # a way to a solution after a limit

# Mistakes.
MISTAKE_ACTS = ("justify", "interrupt", "counter", "give_in", "deflect", "blame_colleague", "belittle", "impose",
                "flat_no", "ignore", "overdo_empathy", "vague_promise")
FALL_BACK_ACTS = frozenset({"justify", "interrupt", "counter", "belittle", "overdo_empathy"})  # back to step 1
METHOD_MISTAKES = frozenset({"deflect", "blame_colleague", "impose", "flat_no", "ignore", "vague_promise"})

ACTS = tuple(STEP_OF_ACT) + BOUNDARY_ACTS + MISTAKE_ACTS + ("neutral",)
ACT_KINDS = ("step", "boundary", "mistake", "neutral")

ENDINGS = ("satisfied", "dissatisfied", "lost", "disconnected", "escalated")
CHANNELS = ("phone", "counter", "email", "letter", "chat")
LANGUAGES = ("nl", "en")


def act_kind(act: str) -> str:
    """What an act is in the method: a step of the six, a boundary, a mistake, or neutral."""
    if act in STEP_OF_ACT:
        return "step"
    if act in BOUNDARY_ACTS:
        return "boundary"
    if act in MISTAKE_ACTS:
        return "mistake"
    return "neutral"
