"""`tactful model build` on Apache Spark: the same aggregate model from the same order exports, written as the same
JSON the engine reads (`new Engine(products, { model })`, `tactful recommend --model FILE`).

    python spark/model_build.py --orders ORDERS.csv|DIR --out model.json [--min-customers 5] [--dim 32]
                                [--master local[2]] [--input-format csv|parquet]

Every rule follows src/cli/read.rs (formats, bad rows), src/cli/split.rs (baskets), src/cli/model_build.rs (the
model) and src/cli/svd.rs (the embedding); spark/README.md maps each step to its Rust counterpart. What grows with
the orders (rows, baskets, customer-product pairs, co-purchase pairs, the k-anonymity floor, the PPMI matrix and its
products with the subspace block) runs in Spark; what grows only with the catalog (the ordered product lists, the
title tokens, the l x l eigenproblem, the n x l block) is on the driver, as one JSON file has to be in the end.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

# model_build.rs BuildOptions::default() and DEFAULT_MIN_CUSTOMERS; svd::embed's call.
DEFAULT_MIN_CUSTOMERS = 5
MAX_NEIGHBOURS = 50
PER_CUSTOMER = 300
TREND_DAYS = 28
TEXT_WEIGHT = 0.5
REPEAT_PRIOR_CUSTOMERS = 5.0
SVD_ITERATIONS = 4
SVD_SEED = 0x07AC7F01
MODEL_VERSION = 1
MS_PER_MINUTE = 60_000
# policy.rs DEFAULT_NON_PRODUCT_IDS (a trailing * matches a prefix; ASCII case ignored).
NON_PRODUCT_IDS = ["POST", "DOT", "M", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "gift_*"]
MASK64 = (1 << 64) - 1


def round4(v):
    """Rust's `(v * 1e4).round() / 1e4`: half away from zero (Python's round() is half to even)."""
    x = v * 1e4
    r = math.floor(abs(x))
    if abs(x) - r >= 0.5:
        r += 1
    return math.copysign(r, x) / 1e4


def round4_np(x):
    """round4 for an array."""
    y = x * 1e4
    a = np.abs(y)
    r = np.floor(a)
    r = np.where(a - r >= 0.5, r + 1.0, r)
    return np.copysign(r, y) / 1e4


# ---------------------------------------------------------------- reading (src/cli/read.rs)


def _col(cols, name):
    """The column whose trimmed header equals `name`, ignoring case (read.rs `position`)."""
    for c in cols:
        if c.strip().lower() == name.lower():
            return c
    return None


def _columns(cols, file):
    def need(name, fmt):
        c = _col(cols, name)
        if c is None:
            raise SystemExit(f"{file}: missing column '{name}' (read as {fmt})")
        return c

    if _col(cols, "StockCode") or _col(cols, "InvoiceNo"):
        f = "Online Retail"
        return dict(fmt="online_retail", customer=need("CustomerID", f), product=need("StockCode", f),
                    at=need("InvoiceDate", f), quantity=need("Quantity", f), order=need("InvoiceNo", f),
                    price=need("UnitPrice", f), title=_col(cols, "Description"))
    if _col(cols, "household_id"):
        f = "The Complete Journey"
        return dict(fmt="complete_journey", customer=need("household_id", f), product=need("product_id", f),
                    at=need("transaction_timestamp", f), quantity=_col(cols, "quantity"),
                    order=_col(cols, "basket_id"), price=_col(cols, "sales_value"), title=None)
    f = "customer_id,product_id,at[,quantity,order_id,price]"
    return dict(fmt="plain", customer=need("customer_id", f), product=need("product_id", f), at=need("at", f),
                quantity=_col(cols, "quantity"), order=_col(cols, "order_id"), price=_col(cols, "price"),
                title=_col(cols, "title"))


# read.rs parse_time: epoch milliseconds, or ISO-8601 as Timestamp::parse_iso accepts it.
ISO = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$"


def _text(c):
    """A trimmed field; empty (or absent) as null."""
    if c is None:
        return F.lit(None).cast("string")
    t = F.trim(F.col(f"`{c}`").cast("string"))
    return F.when(t == "", None).otherwise(t)


def _number(t):
    """A finite double, or null (read.rs `number`)."""
    v = t.cast("double")
    return F.when(v.isNull() | F.isnan(v) | (F.abs(v) == float("inf")), None).otherwise(v)


def read_rows(spark, path, input_format="csv"):
    """The readable rows of an order export, normalised as read.rs `row` does: customer, product, title, at (ms),
    quantity (>= 0), order, cancel, line (file order; the tie-break after time). Bad rows are left out and counted."""
    if input_format == "parquet":
        raw = spark.read.parquet(path)
    else:
        # RFC 4180 quoting, as the csv crate reads it (Spark's default escape is a backslash).
        raw = spark.read.option("header", True).option("escape", '"').option("inferSchema", False).csv(path)
    c = _columns(raw.columns, path)
    # Within one file, monotonically_increasing_id follows the line order (splits are read in offset order).
    df = raw.withColumn("_line", F.monotonically_increasing_id())
    cust = _text(c["customer"])
    cust = F.when(cust.rlike(r"^\d+\.0$"), F.regexp_extract(cust, r"^(\d+)\.0$", 1)).otherwise(cust)
    at_text = _text(c["at"])
    iso = F.regexp_replace(F.upper(at_text), ",", ".")
    at_ms = (F.when(at_text.rlike(r"^\d+$"), at_text.cast("long"))
             .when(at_text.rlike(ISO), F.floor(F.unix_micros(iso.cast("timestamp")) / 1000).cast("long")))
    q_text = _text(c["quantity"])
    qty = F.when(q_text.isNull(), F.lit(1.0)).otherwise(_number(q_text)) if c["quantity"] else F.lit(1.0)
    p_text = _text(c["price"])
    price_ok = p_text.isNull() | _number(p_text).isNotNull() if c["price"] else F.lit(True)
    order = _text(c["order"])
    rows = df.select(
        cust.alias("customer"), _text(c["product"]).alias("product"), _text(c["title"]).alias("title"),
        at_ms.alias("at"), qty.alias("q"), order.alias("order"), price_ok.alias("price_ok"),
        F.col("_line").alias("line"))
    ok = (F.col("customer").isNotNull() & F.col("product").isNotNull() & F.col("at").isNotNull()
          & F.col("q").isNotNull() & (F.col("q") != 0.0) & F.col("price_ok"))
    cancel = F.col("q") < 0
    if c["fmt"] == "online_retail":
        cancel = cancel | F.coalesce(F.col("order").startswith("C"), F.lit(False))
    return rows.where(ok).select("customer", "product", "title", "at", F.abs("q").alias("quantity"), "order",
                                 cancel.alias("cancel"), "line")


def is_non_product(col):
    """policy.rs Settings::is_non_product with the default codes."""
    cond = F.lit(False)
    for pattern in NON_PRODUCT_IDS:
        if pattern.endswith("*"):
            prefix = pattern[:-1]
            cond = cond | (F.lower(F.substring(col, 1, len(prefix))) == prefix.lower())
        else:
            cond = cond | (F.lower(col) == pattern.lower())
    return cond


# ---------------------------------------------------------------- baskets (src/cli/split.rs customer_baskets)


def _customer_baskets(rows):
    """One customer's baskets, exactly as split.rs customer_baskets (for customers with cancellations): rows are
    (at, line, pidx, quantity, order, cancel); yields (minute, pidx) for each product left in each basket."""
    rows = sorted(rows, key=lambda r: (r[0], r[1]))
    order_minute = {}
    for at, _, _, _, order, cancel in rows:
        if order is not None and not cancel and order not in order_minute:
            order_minute[order] = (at // MS_PER_MINUTE) * MS_PER_MINUTE
    lines = []  # [minute, pidx, remaining]
    for at, _, p, q, order, cancel in rows:
        own = (at // MS_PER_MINUTE) * MS_PER_MINUTE
        minute = own if cancel else order_minute.get(order, own) if order is not None else own
        if cancel:
            for line in reversed(lines):
                if line[1] == p and line[0] <= at and line[2] > 0.0:
                    line[2] -= q
                    break
        else:
            hit = None
            for line in reversed(lines):
                if line[0] != minute:
                    break
                if line[1] == p:
                    hit = line
                    break
            if hit is not None:
                hit[2] += q
            else:
                lines.append([minute, p, q])
    lines.sort(key=lambda x: x[0])  # stable, as Rust's sort_by_key
    seen = set()
    for minute, p, left in lines:
        if left <= 1e-9 or (minute, p) in seen:
            continue
        seen.add((minute, p))
        yield minute, p


def baskets(spark, rows):
    """(customer, at, p): one row per product in each basket, `at` the basket's minute; and the products
    (pidx, id) in the order Rust interns them (first seen by customer's first line, then time, then line)."""
    cust_first = rows.groupBy("customer").agg(F.min("line").alias("cfirst"))
    goods = rows.where(~is_non_product(F.col("product"))).join(cust_first, "customer")
    first_key = goods.groupBy("product").agg(F.min(F.struct("cfirst", "at", "line")).alias("k"))
    products = first_key.select("product", (F.row_number().over(Window.orderBy("k")) - 1).cast("int").alias("p"))
    products = products.cache()
    g = goods.join(products, "product")
    minute = (F.floor(F.col("at") / MS_PER_MINUTE) * MS_PER_MINUTE).cast("long")
    g = g.withColumn("own", minute)
    with_cancels = g.where("cancel").select("customer").distinct().withColumn("has_cancel", F.lit(True))
    g = g.join(with_cancels, "customer", "left")
    # Customers without a cancellation: a basket is the order's first minute (or the line's own without an order).
    fast = g.where(F.col("has_cancel").isNull())
    om = fast.where(F.col("order").isNotNull()).groupBy("customer", "order").agg(F.min("own").alias("om"))
    fast = (fast.join(om, ["customer", "order"], "left")
            .select("customer", F.coalesce("om", "own").alias("at"), "p"))
    # Customers with one: their rows in time order, cancellations matched one by one (split.rs, line for line).
    slow_rows = g.where(F.col("has_cancel")).select("customer", "at", "line", "p", "quantity", "order", "cancel")
    slow = (slow_rows.rdd.map(lambda r: (r[0], (r[1], r[2], r[3], r[4], r[5], r[6])))
            .groupByKey()
            .flatMap(lambda kv: ((kv[0], m, p) for m, p in _customer_baskets(kv[1]))))
    slow = spark.createDataFrame(slow, "customer string, at long, p int")
    return fast.unionByName(slow).distinct(), products


# ---------------------------------------------------------------- the model (src/cli/model_build.rs)


def _by_weight_desc(items):
    """order.rs by_weight_desc: heaviest first, ties by index."""
    return sorted(items, key=lambda x: (-x[1], x[0]))


def tokens(title):
    """model_build.rs tokens: runs of letters of at least 3, upper-cased."""
    out, word = [], []
    for ch in (title or "") + " ":
        if ch.isalpha():
            word.append(ch)
        else:
            if len(word) >= 3:
                out.append("".join(word).upper())
            word = []
    return out


def build(spark, orders, min_customers=DEFAULT_MIN_CUSTOMERS, dim=32, input_format="csv", log=print):
    t0 = time.time()
    rows = read_rows(spark, orders, input_format).cache()
    b, products = baskets(spark, rows)
    b = b.cache()
    n_products = products.count()
    ids = [None] * n_products
    for r in products.collect():
        ids[r["p"]] = r["product"]
    log(f"  {n_products} products, baskets built ({time.time() - t0:.1f} s)")

    # Popularity and trending.
    per_basket = b.select("customer", "at").distinct().cache()
    stats = per_basket.agg(F.count("*").alias("total"), F.max("at").alias("last_at")).first()
    total, last_at = stats["total"], stats["last_at"] or 0
    since = last_at - TREND_DAYS * 86_400_000
    total_recent = per_basket.where(F.col("at") > since).count()
    per_basket.unpersist()
    counts = b.groupBy("p").agg(F.count("*").alias("all"), F.sum((F.col("at") > since).cast("int")).alias("recent"))
    in_baskets, recent = {}, {}
    for r in counts.collect():
        in_baskets[r["p"]], recent[r["p"]] = r["all"], r["recent"]
    pop = [(p, c / max(total, 1)) for p, c in in_baskets.items() if c > 0]
    popularity = [[ids[p], max(round4(w), 1e-4)] for p, w in _by_weight_desc(pop)]
    trending = []
    if 0 < total_recent < total:
        for p in sorted(in_baskets):
            r, a = recent[p], in_baskets[p]
            if r >= 3 and a > 0:
                trending.append([ids[p], round4((r / total_recent) / (a / total))])

    # Repeat propensity (repeat_rates): a chance when the first basket with p is not the customer's last.
    cp = b.groupBy("customer", "p").agg(F.min("at").alias("first"), F.count("*").alias("n"), F.max("at").alias("last")).cache()
    last_basket = b.groupBy("customer").agg(F.max("at").alias("cust_last"))
    rep = (cp.join(last_basket, "customer").where(F.col("first") < F.col("cust_last"))
           .groupBy("p").agg(F.count("*").alias("chances"), F.sum((F.col("n") >= 2).cast("int")).alias("again")))
    rep = {r["p"]: (r["again"], r["chances"]) for r in rep.collect()}
    sa, sc = sum(a for a, _ in rep.values()), sum(c for _, c in rep.values())
    overall = sa / sc if sc > 0 else 0.0
    repeat = [[ids[p], round4((a + REPEAT_PRIOR_CUSTOMERS * overall) / (c + REPEAT_PRIOR_CUSTOMERS))]
              for p, (a, c) in sorted(rep.items()) if c >= max(min_customers, 1)]
    log(f"  popularity, trending, repeat ({time.time() - t0:.1f} s)")

    # Co-purchase pairs among each customer's `PER_CUSTOMER` most recently bought products; the floor applied here.
    ranked = cp.withColumn("r", F.row_number().over(Window.partitionBy("customer").orderBy(F.desc("last"), "p")))
    own = ranked.where(F.col("r") <= PER_CUSTOMER).select("customer", "p").cache()
    n_customers = float(max(own.select("customer").distinct().count(), 1))
    customers_of = own.groupBy("p").agg(F.count("*").alias("n"))
    a, c2 = own.alias("a"), own.alias("b")
    pairs = (a.join(c2, (F.col("a.customer") == F.col("b.customer")) & (F.col("a.p") < F.col("b.p")))
             .groupBy(F.col("a.p").alias("p"), F.col("b.p").alias("q")).agg(F.count("*").alias("c"))
             .where(F.col("c") >= max(min_customers, 1)))
    np_ = customers_of.select(F.col("p"), F.col("n").cast("double").alias("np"))
    nq_ = customers_of.select(F.col("p").alias("q"), F.col("n").cast("double").alias("nq"))
    kept = (pairs.join(F.broadcast(np_), "p").join(F.broadcast(nq_), "q")
            .select("p", "q", "c",
                    (F.col("c").cast("double") / F.sqrt(F.col("np") * F.col("nq"))).alias("cosine"),
                    F.log(F.col("c").cast("double") * F.lit(n_customers) / (F.col("np") * F.col("nq"))).alias("pmi"))
            .cache())
    both = kept.select("p", "q", "cosine").unionByName(kept.select(F.col("q").alias("p"), F.col("p").alias("q"),
                                                                   "cosine"))
    top = (both.withColumn("r", F.row_number().over(Window.partitionBy("p").orderBy(F.desc("cosine"), "q")))
           .where(F.col("r") <= MAX_NEIGHBOURS))
    lists = {}
    for r in top.select("p", "q", "cosine", "r").collect():
        lists.setdefault(r["p"], []).append((r["r"], r["q"], r["cosine"]))
    neighbours = []
    for p in sorted(lists):
        kept_list = [[ids[q], round4(w)] for _, q, w in sorted(lists[p])]
        neighbours.append([ids[p], [x for x in kept_list if x[1] > 0.0]])
    log(f"  {len(neighbours)} products with neighbours ({time.time() - t0:.1f} s)")

    embeddings = []
    dim = min(dim, 64)
    if dim > 0:
        titles = {r["p"]: r["title"] for r in (
            rows.where(F.col("title").isNotNull()).join(F.broadcast(products), "product")
            .groupBy("p").agg(F.min(F.struct("line", "title")).alias("t")).select("p", "t.title").collect())}
        embeddings = _embeddings(spark, kept.where(F.col("pmi") > 0).select("p", "q", "pmi"), titles, n_products,
                                 ids, dim)
        log(f"  {len(embeddings)} embeddings ({time.time() - t0:.1f} s)")
    for x in (rows, b, cp, own, kept, products):
        x.unpersist()
    return {
        "version": MODEL_VERSION,
        "minCustomers": min_customers,
        "popularity": popularity,
        "trending": trending,
        "repeat": repeat,
        "neighbours": neighbours,
        "dim": dim if embeddings else 0,
        "embeddings": embeddings,
    }


def _embeddings(spark, ppmi, titles, n_products, ids, dim):
    """One PPMI matrix over products and title tokens, its truncated SVD (svd.rs), rows normalised."""
    token_ids, product_tokens = {}, [[] for _ in range(n_products)]
    for p in range(n_products):
        for t in tokens(titles.get(p)):
            i = token_ids.setdefault(t, len(token_ids))
            if i not in product_tokens[p]:
                product_tokens[p].append(i)
    df = [0] * len(token_ids)
    for toks in product_tokens:
        for t in toks:
            df[t] += 1
    with_ppmi = {r["p"] for r in ppmi.select("p").union(ppmi.select("q")).distinct().collect()}
    members = [p for p in range(n_products) if p in with_ppmi or product_tokens[p]]
    local = np.full(n_products, -1, dtype=np.int64)
    local[np.array(members, dtype=np.int64)] = np.arange(len(members))
    n_members, n_docs = len(members), float(max(n_products, 1))
    n = n_members + len(token_ids)
    text_rows, text_cols, text_vals = [], [], []
    for i, p in enumerate(members):
        for t in product_tokens[p]:
            d = float(df[t])
            if d < 2.0 or d > n_docs / 20.0:
                continue
            v = TEXT_WEIGHT * math.log(n_docs / d)
            text_rows += [i, n_members + t]
            text_cols += [n_members + t, i]
            text_vals += [v, v]
    if n <= dim:
        return []
    # The matrix's entries stay distributed: (row, column, value), both halves, in Spark partitions.
    bl = spark.sparkContext.broadcast(local)
    entries = ppmi.rdd.mapPartitions(lambda it: _to_local(it, bl))
    text = spark.sparkContext.parallelize(
        list(zip(text_rows, text_cols, text_vals)), max(1, spark.sparkContext.defaultParallelism))
    parts = max(1, spark.sparkContext.defaultParallelism)
    blocks = (entries.union(text.glom().map(_block_of)).filter(lambda x: x[0].size > 0).coalesce(parts)
              .glom().map(_concat).cache())
    e = embed(spark, blocks, n, dim, SVD_ITERATIONS, SVD_SEED)
    blocks.unpersist()
    out = []
    for i, p in enumerate(members):
        row = e[i]
        norm = math.sqrt(float(np.sum(row * row)))
        if norm > 1e-9:
            out.append([ids[p], [float(x) for x in round4_np(row / norm)]])
    return out


def _to_local(it, bl):
    local = bl.value
    r, c, v = [], [], []
    for p, q, pmi in it:
        i, j = local[p], local[q]
        r += [i, j]
        c += [j, i]
        v += [pmi, pmi]
    yield np.array(r, dtype=np.int64), np.array(c, dtype=np.int64), np.array(v, dtype=np.float64)


def _concat(blocks):
    if not blocks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return tuple(np.concatenate([b[i] for b in blocks]) for i in range(3))


def _block_of(triples):
    if not triples:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    r, c, v = zip(*triples)
    return np.array(r, dtype=np.int64), np.array(c, dtype=np.int64), np.array(v, dtype=np.float64)


def _multiply(spark, blocks, q):
    """M * Q with M's entries in Spark partitions: each partition's share, summed (svd.rs `multiply`)."""
    bq = spark.sparkContext.broadcast(q)
    n, l = q.shape

    def part(block):
        r, c, v = block
        qq = bq.value
        out = np.empty((n, l))
        for k in range(l):
            out[:, k] = np.bincount(r, weights=v * qq[c, k], minlength=n)
        return out

    result = blocks.map(part).treeReduce(lambda x, y: x + y)
    bq.unpersist()
    return result


def mix(seed, x):
    """rerank.rs mix (SplitMix64) over uint64 arrays."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + x * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _orthonormalise(q):
    """svd.rs orthonormalise: modified Gram-Schmidt twice; vanishing columns dropped. q is n x l (columns)."""
    for _ in range(2):
        done = []
        for k in range(q.shape[1]):
            col = q[:, k].copy()
            for d in done:
                col -= np.dot(col, d) * d
            norm = math.sqrt(float(np.dot(col, col)))
            if norm > 1e-10:
                done.append(col / norm)
        q = np.stack(done, axis=1) if done else np.zeros((q.shape[0], 0))
    return q


def _jacobi(a):
    """svd.rs jacobi: cyclic Jacobi rotations on a small symmetric matrix; (eigenvalues, eigenvectors as columns)."""
    l = a.shape[0]
    a = a.copy()
    v = np.eye(l)
    for _ in range(60):
        off = float(np.sum(a * a) - np.sum(np.diag(a) ** 2))
        if off < 1e-18:
            break
        for p in range(l):
            for q in range(p + 1, l):
                apq = a[p, q]
                if abs(apq) < 1e-15:
                    continue
                theta = (a[q, q] - a[p, p]) / (2.0 * apq)
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                if theta == 0.0:
                    t = 1.0
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                akp, akq = a[:, p].copy(), a[:, q].copy()
                a[:, p], a[:, q] = c * akp - s * akq, s * akp + c * akq
                apk, aqk = a[p, :].copy(), a[q, :].copy()
                a[p, :], a[q, :] = c * apk - s * aqk, s * apk + c * aqk
                vkp, vkq = v[:, p].copy(), v[:, q].copy()
                v[:, p], v[:, q] = c * vkp - s * vkq, s * vkp + c * vkq
    return np.diag(a).copy(), v


def embed(spark, blocks, n, dim, iterations, seed):
    """svd.rs embed: the `dim` largest eigenpairs by randomized subspace iteration, rows scaled by sqrt(lambda)."""
    l = min(dim + 10, n)
    idx = (np.arange(l, dtype=np.uint64)[None, :] * np.uint64(n) + np.arange(n, dtype=np.uint64)[:, None])
    r = mix(seed, idx)
    q = (r >> np.uint64(11)).astype(np.float64) / float(1 << 53) - 0.5
    q = _orthonormalise(q)
    for _ in range(iterations):
        q = _orthonormalise(_multiply(spark, blocks, q))
    mq = _multiply(spark, blocks, q)
    small = q.T @ mq
    small = (small + small.T) / 2.0
    values, vectors = _jacobi(small)
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))[:dim]
    out = np.zeros((n, dim))
    for d, e in enumerate(order):
        out[:, d] = (q @ vectors[:, e]) * math.sqrt(max(values[e], 0.0))
    return out


# ---------------------------------------------------------------- writing


def to_json(model):
    """The model as compact JSON, keys as the engine reads them."""
    return json.dumps(model, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def session(master="local[2]", app="tactful-model-build", small=False):
    """A session whose Python workers can import this module (its functions run there). `small`: settings for data
    that fits in seconds (the tests), where Spark's fixed costs dominate: two shuffle partitions, no adaptive
    re-planning, no whole-stage code generation, the JVM's quick JIT only."""
    b = SparkSession.builder
    if small:
        b = (b.config("spark.sql.shuffle.partitions", "2").config("spark.sql.adaptive.enabled", "false")
             .config("spark.sql.codegen.wholeStage", "false")
             .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1"))
    else:
        b = b.config("spark.sql.shuffle.partitions", "4")
    spark = (b.master(master).appName(app)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "4g")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate())
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    return spark


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", required=True, help="an order export (CSV file or folder, or Parquet)")
    ap.add_argument("--out", required=True, help="where to write the model JSON")
    ap.add_argument("--min-customers", type=int, default=DEFAULT_MIN_CUSTOMERS)
    ap.add_argument("--dim", type=int, default=32)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--input-format", choices=["csv", "parquet"], default="csv")
    ap.add_argument("--shuffle-partitions", type=int, default=None)
    ap.add_argument("--small", action="store_true", help="settings for small data (see session())")
    args = ap.parse_args(argv)
    spark = session(args.master, small=args.small)
    spark.sparkContext.setLogLevel("ERROR")
    if args.shuffle_partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
    t0 = time.time()
    m = build(spark, args.orders, args.min_customers, args.dim, args.input_format,
              log=lambda s: print(s, file=sys.stderr))
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(to_json(m))
    print(f"{args.out}: {len(m['popularity'])} products with popularity, {len(m['neighbours'])} with neighbours, "
          f"{len(m['embeddings'])} embeddings ({m['dim']} dims), {len(m['trending'])} trending "
          f"({time.time() - t0:.1f} s)", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
