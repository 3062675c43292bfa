"""A seeded synthetic order export for the scaling table (spark/README.md): plain
`customer_id,product_id,at,quantity,order_id,price` lines with a realistic skew.

    python spark/gen_orders.py --lines 1000000 --out orders-1M.csv [--seed 7] [--products N]

- products: popularity Zipf-like (p(rank) ~ 1/rank^1.1 over the catalog; default catalog lines/20, at most 100,000),
  ids shuffled so file order says nothing about popularity; each product has a price;
- customers: basket counts log-normal (median 4.5, a long tail of regulars), 1 + Poisson(4) lines per basket;
  a customer keeps coming back to a small personal set of favourites (40 % of lines), so there is repeat buying and
  co-purchase structure beyond popularity;
- time: one year; a customer's baskets are spread over it; one order id per basket;
- about 1 % of lines are later cancelled (a negative-quantity line a day after), exercising the exact cancellation
  path of the basket rules.
The same --seed and --lines give the same file, byte for byte.
"""

import argparse

import numpy as np

YEAR_START = np.datetime64("2024-01-01T00:00:00", "s")


def generate(lines, seed, products=None):
    rng = np.random.default_rng(seed)
    n_products = products or int(min(100_000, max(1_000, lines // 20)))
    ranks = np.arange(1, n_products + 1, dtype=np.float64)
    probs = ranks ** -1.1
    probs /= probs.sum()
    cdf = np.cumsum(probs)
    product_of_rank = rng.permutation(n_products)
    price = np.round(np.exp(rng.normal(1.2, 0.8, n_products)), 2) + 0.05
    per_basket, per_customer_baskets = 5.0, float(np.exp(1.5 + 0.5))
    n_customers = max(1, int(lines / (per_basket * per_customer_baskets) * 1.1))
    b_counts = np.maximum(1, np.round(rng.lognormal(1.5, 1.0, n_customers))).astype(np.int64)
    n_baskets = int(b_counts.sum())
    basket_customer = np.repeat(np.arange(n_customers), b_counts)
    sizes = 1 + rng.poisson(4.0, n_baskets)
    # Basket times: uniform over the year.
    basket_at = rng.integers(0, 365 * 86_400, n_baskets)
    line_basket = np.repeat(np.arange(n_baskets), sizes)
    n = len(line_basket)
    if n > lines:
        line_basket = line_basket[:lines]
        n = lines
    line_customer = basket_customer[line_basket]
    # Zipf products, 40 % of lines from the customer's favourites (5 per customer, themselves Zipf-drawn).
    favourites = np.searchsorted(cdf, rng.random((n_customers, 5)))
    draw = np.searchsorted(cdf, rng.random(n))
    fav = rng.random(n) < 0.4
    draw[fav] = favourites[line_customer[fav], rng.integers(0, 5, int(fav.sum()))]
    product = product_of_rank[np.minimum(draw, n_products - 1)]
    quantity = 1 + rng.poisson(0.5, n)
    at = basket_at[line_basket] + rng.integers(0, 30, n)  # a checkout within half a minute
    cancel = np.nonzero(rng.random(n) < 0.01)[0]
    return dict(n_products=n_products, n_customers=n_customers, customer=line_customer, product=product,
                at=at, quantity=quantity, order=line_basket, price=price[product], cancel=cancel)


def write(g, path, chunk=500_000):
    customer, product, at, quantity, order, price = (g[k] for k in ("customer", "product", "at", "quantity", "order",
                                                                    "price"))
    cancel = g["cancel"]
    with open(path, "w", encoding="ascii") as f:
        f.write("customer_id,product_id,at,quantity,order_id,price\n")
        for start in range(0, len(customer), chunk):
            s = slice(start, start + chunk)
            times = (YEAR_START + at[s].astype("timedelta64[s]")).astype(str)
            f.write("".join(f"C{c},P{p},{t},{q},{o},{pr:.2f}\n" for c, p, t, q, o, pr in zip(
                customer[s].tolist(), product[s].tolist(), times.tolist(), quantity[s].tolist(), order[s].tolist(),
                price[s].tolist())))
        # Cancellations: a day later, the whole quantity, as a negative line.
        times = (YEAR_START + (at[cancel] + 86_400).astype("timedelta64[s]")).astype(str)
        f.write("".join(f"C{c},P{p},{t},-{q},R{o},{pr:.2f}\n" for c, p, t, q, o, pr in zip(
            customer[cancel].tolist(), product[cancel].tolist(), times.tolist(), quantity[cancel].tolist(),
            order[cancel].tolist(), price[cancel].tolist())))


def main():
    ap = argparse.ArgumentParser(description="seeded synthetic order lines with Zipf skew")
    ap.add_argument("--lines", type=int, required=True, help="purchase lines (cancellations, ~1 %, come on top)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--products", type=int, default=None)
    args = ap.parse_args()
    g = generate(args.lines, args.seed, args.products)
    write(g, args.out)
    print(f"{args.out}: {len(g['customer'])} purchase lines + {len(g['cancel'])} cancellations, "
          f"{g['n_customers']} customers, {g['n_products']} products")


if __name__ == "__main__":
    main()
