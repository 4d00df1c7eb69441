"""SQL for baskets: which products a shop order or till transaction holds, at what price."""

from __future__ import annotations

from cdp_sample.reference import CURRENCY_FACTOR, PRODUCTS
from cdp_sample.sql import list_lit

N_PRODUCTS = len(PRODUCTS)
IDS = list_lit([p.product_id for p in PRODUCTS])
SKUS = list_lit([p.sku for p in PRODUCTS])
TITLES = list_lit([p.title for p in PRODUCTS])
CATEGORIES = list_lit([p.category for p in PRODUCTS])
_PRICES = list_lit([p.price_usd for p in PRODUCTS])
_FACTOR = "case {currency} " + " ".join(f"when '{c}' then {f}" for c, f in CURRENCY_FACTOR.items()) + " end"


def product(key: str, line: str) -> str:
    """1-based product index of a basket line."""
    return f"(1 + floor(u2({key}, {line}, 'product') * {N_PRODUCTS})::int)"


def quantity(key: str, line: str) -> str:
    return f"(1 + (u2({key}, {line}, 'qty') < 0.15)::int + (u2({key}, {line}, 'qty') < 0.04)::int)"


def unit_price(key: str, line: str, currency: str) -> str:
    """Price in the basket's currency, ending in .99 (a 24 USD tee costs 18.99 GBP)."""
    return f"(round({_PRICES}[{product(key, line)}] * {_FACTOR.format(currency=currency)}) - 0.01)"


def basket_total(key: str, lines: str, currency: str) -> str:
    """Sum of quantity x unit price over lines 0..lines-1 (the same draws the line tables use)."""
    line_amount = f"{quantity(key, 'k')} * {unit_price(key, 'k', currency)}"
    return f"round(list_sum(list_transform(range({lines}), lambda k: {line_amount})), 2)"
