"""Tip texts for the scorecard, per language; English when a language lacks one."""

from __future__ import annotations

# kind -> language -> text; {quote} is the trainee's own words.
TIPS: dict[str, dict[str, str]] = {
    "blaming": {"en": "You wrote \u201c{quote}\u201d: that tells the customer it is their fault, which pours petrol on the fire. Leave fault aside and ask what happened."},
    "dismissing": {"en": "\u201c{quote}\u201d minimises what the customer feels. Name the feeling instead: \u201cI can hear how frustrating this is.\u201d"},
    "shouting": {"en": "\u201c{quote}\u201d reads as shouting. Lower your voice: no capitals, no \u201c!!\u201d; calm text calms the customer."},
    "condescending": {"en": "\u201c{quote}\u201d can make the customer feel stupid. Explain again as if for the first time, without \u201cas I said\u201d."},
    "joking": {"en": "\u201c{quote}\u201d: a joke tells an angry customer you do not see how angry they are. Stay serious."},
    "arguing": {"en": "\u201c{quote}\u201d contradicts the customer. Being right does not matter here; let them be heard and confirmed."},
    "justifying": {"en": "\u201c{quote}\u201d explains rules or circumstances instead of listening. Hold the explanation; listen and understand first."},
    "overpromising": {"en": "\u201c{quote}\u201d promises more than you can be sure of. Never deceive the customer: promise the next step you control."},
    "too_early": {"en": "You offered a solution (\u201c{quote}\u201d) before the customer felt heard. First invite them to tell what happened and acknowledge it; then propose."},
    "slow": {"en": "The customer waited too long for an answer and spoke up. Answer quickly: impatient customers move on to a competitor."},
    "missing_inviting": {"en": "You never invited the customer to tell their story. Try an open question: \u201cTell me what happened?\u201d"},
    "missing_acknowledging": {"en": "You never acknowledged the customer's feeling or problem. Say what you hear: \u201cI understand how annoying this is.\u201d"},
    "missing_naming": {"en": "You never used the customer's name. Addressing them personally wins their attention and goodwill."},
    "missing_summarizing": {"en": "You never summed up what the customer needs. Reflect it back: \u201cSo you need it before Saturday?\u201d"},
    "missing_thanking": {"en": "You never thanked the customer. Be grateful that they came to you and told you."},
    "missing_solving": {"en": "You never proposed a concrete next step. Once they feel heard, take control like a doctor: propose the right solution yourself."},
    "keep": {"en": "Well done. Keep listening first, then propose the solution yourself."},
}


def tip_text(kind: str, language: str, **values: str) -> str:
    texts = TIPS.get(kind, TIPS["keep"])
    text = texts.get(language) or texts["en"]
    return text.format(**values)
