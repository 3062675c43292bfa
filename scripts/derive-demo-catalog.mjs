// Derives the demo store's catalog (www/data/catalog.json) from 84.51° The Complete Journey (CC0) in
// data/complete-journey/: ~400 real products that real households bought in transactions_sample.csv, as tactful
// `Product` objects (see the API contract). Deterministic: the same input files give byte-identical output.
//
//   node scripts/derive-demo-catalog.mjs
//
// What is chosen, in this order, until CATALOG_SIZE products:
//   1. durables (SPECIAL_CATEGORIES below): so OWNED_DURABLE has something to act on;
//   2. sensitive categories (SENSITIVITY below): up to PER_SENSITIVE_CATEGORY each, so SENSITIVE_CLASS and COMPLIANCE
//      have something to act on;
//   3. the PER_DEPARTMENT_AT_LEAST most bought products of every department, so small departments show up too;
//   4. the most bought products (by transaction lines, then households, then id), at most PER_CATEGORY per
//      product_category: a spread of the store, not 200 kinds of milk.
// Products whose readable title would repeat one already chosen are skipped (the catalog reads like a store).
// Non-product lines (fuel, coupons, deposits, tickets, photo finishing, ...) are never chosen.
//
// Mapped fields:
//   id          product_id, as a string
//   title       product_type (or an override below), made readable, + package size, + "(store brand)" for Private
//   category    [department, product_category, product_type], readable, empty levels dropped
//   brand       "National" or "Private" (the only brand information the data has)
//   price       median of sales_value / quantity over the product's sample lines, rounded to cents
//   sensitivity SENSITIVITY, by category (and type where a category mixes classes)
//   lifecycle   LIFECYCLE: durables with a lifetime, consumables with a typical repurchase interval; else omitted
//
// It also writes www/data/model.json, a tactful `Model` (version 1) of aggregates over the same sample, restricted to
// the chosen products: `popularity` = share of households that bought the product, `neighbours` = products bought by
// the same households (cosine of household sets), each kept only when MIN_HOUSEHOLDS distinct households support it.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(root, 'data/complete-journey');
const OUT = join(root, 'www/data/catalog.json');
const MODEL_OUT = join(root, 'www/data/model.json');

const CATALOG_SIZE = 400;
const PER_CATEGORY = 3;
const PER_SENSITIVE_CATEGORY = 6;
const PER_DEPARTMENT_AT_LEAST = 3;
// The aggregate model: popularity and co-purchase counts come from at least this many distinct households, or are
// dropped (k-anonymity; a small k because the sample is ~5% of lines). Up to MAX_NEIGHBOURS per product.
const MIN_HOUSEHOLDS = 3;
const MAX_NEIGHBOURS = 10;

// ---- what is not a product ------------------------------------------------------------------------------------------
const EXCLUDED_DEPARTMENTS = new Set([
  'MISCELLANEOUS', 'COUPON', 'FUEL', 'RESTAURANT', 'AUTOMOTIVE', 'CNTRL/STORE SUP', 'GM MERCH EXP', 'SALAD BAR',
  'CHEF SHOPPE', 'PHOTO & VIDEO', 'TRAVEL & LEISURE',
]);
const EXCLUDED_CATEGORIES = new Set([
  'COUPON/MISC ITEMS', 'COUPONS/STORE & MFG', 'BOTTLE DEPOSITS', 'TICKETS', 'IN-STORE PHOTOFINISHING',
  'OVERNIGHT PHOTOFINISHING', 'LONG DISTANCE CALLING CARDS', 'PREPAID WIRELESS&ACCESSORIES', 'NEWSPAPER', 'MAGAZINE',
  'DOLLAR VALUE PRODUCTS', 'CONTINUITIES', 'J-HOOKS', 'DELI SUPPLIES', 'MEAT SUPPLIES', 'PROD SUPPLIES',
  'HOME FURNISHINGS', // in this sample it holds candy bags, not furniture
]);
// Types that are merchandising buckets or misfiled lines rather than a kind of product.
const EXCLUDED_TYPES = new Set(['DECOR', 'SEASONAL', 'DOLLAR DAYS', 'PROMO/ENDCAP', 'GRASS/SHRED', 'CANDLES SEASONAL',
  'PEG TOYS']);

// ---- sensitivity: category (or "CATEGORY|TYPE" for a single type) -> API SensitivityClass; null = not sensitive ------
const SENSITIVITY = {
  'DIAPERS & DISPOSABLES': 'pregnancy_baby',
  'INFANT FORMULA': 'pregnancy_baby',
  'BABY FOODS': 'pregnancy_baby',
  'BABYFOOD': 'pregnancy_baby',
  'BABY HBC': 'pregnancy_baby',
  'INFANT CARE PRODUCTS': 'pregnancy_baby',
  'FAMILY PLANNING': 'reproductive_health',
  'FAMILY PLANNING|PREGNANCY TEST KITS': 'pregnancy_baby',
  'FEMININE HYGIENE': 'intimate_care',
  'ADULT INCONTINENCE': 'intimate_care',
  'LAXATIVES': 'medical',
  'SMOKING CESSATIONS': 'medical',
  'DIETARY AID PRODUCTS': 'weight_loss',
  'DIETARY AID PRODUCTS|LIQUID NUTRITION FOR ADULTS': null, // meal drinks, not a diet product
  'DIETARY AID PRODUCTS|CANDY BARS (MULTI PACK)': null,
  'CIGARETTES': 'tobacco',
  'CIGARS': 'tobacco',
  'TOBACCO OTHER|SNUFF': 'tobacco',
  'TOBACCO OTHER|CHEWING TOBACCO': 'tobacco',
  'TOBACCO OTHER|SMOKING TOBACCO': 'tobacco',
  'BEERS/ALES': 'alcohol',
  'BEERS/ALES|BEERALE -NON ALCOHOLIC': null,
  'LIQUOR|COCKTAIL MIXES-FLUID:ADD LIQ': null, // mixers, sold beside the liquor
  'DOMESTIC WINE': 'alcohol',
  'IMPORTED WINE': 'alcohol',
  'MISC WINE': 'alcohol',
  'LIQUOR': 'alcohol',
};

// Categories chosen on purpose even though few people buy them (durables), with the types that really are durables.
const SPECIAL_CATEGORIES = {
  'PORTABLE ELECTRIC APPLIANCES': /./,
  'PERSONAL CARE APPLIANCES': /DRYER|STYLER|SHAVER|TRIMMER|CURL|IRON/,
  'COOKWARE & BAKEWARE': /COOKWARE|BAKEWARE/,
  'KITCHEN GADGETS': /GADGETS|CUTLERY|CUTTING|TABLETOP|COOKNG/,
};

// ---- lifecycle: category (or "CATEGORY|TYPE") -> lifecycle -------------------------------------------------------------
const durable = (lifetimeDays) => ({ kind: 'durable', lifetimeDays });
const consumable = (repurchaseDays) => ({ kind: 'consumable', repurchaseDays });
const LIFECYCLE = {
  'PORTABLE ELECTRIC APPLIANCES': durable(5 * 365),
  'PERSONAL CARE APPLIANCES': durable(4 * 365),
  'COOKWARE & BAKEWARE': durable(5 * 365),
  'KITCHEN GADGETS': durable(3 * 365),
  'FLUID MILK PRODUCTS': consumable(7),
  'EGGS': consumable(14),
  'EGGS|EGGS SUBSTITUTE': null,
  'BAKED BREAD/BUNS/ROLLS': consumable(7),
  'BREAD': consumable(7),
  'TROPICAL FRUIT|BANANAS': consumable(7),
  'YOGURT': consumable(10),
  'BUTTER': consumable(30),
  'COFFEE': consumable(30),
  'DIAPERS & DISPOSABLES': consumable(21),
  'INFANT FORMULA': consumable(14),
  'BABY FOODS': consumable(7),
  'FEMININE HYGIENE': consumable(28),
  'BATH TISSUES': consumable(30),
  'PAPER TOWELS': consumable(30),
  'FACIAL TISS/DNR NAPKIN': consumable(30),
  'LAUNDRY DETERGENTS': consumable(45),
  'DISHWASH DETERGENTS': consumable(45),
  'FD WRAPS/BAGS/TRSH BG': consumable(45),
  'CAT FOOD': consumable(21),
  'CAT LITTER': consumable(30),
  'DOG FOODS': consumable(30),
  'ORAL HYGIENE PRODUCTS': consumable(60),
  'CIGARETTES': consumable(7),
};

// ---- readable names ---------------------------------------------------------------------------------------------------
// Whole-name replacements, where the source is an abbreviation or only makes sense with its category
// ("CATEGORY|TYPE" for a product type, a bare name for a department or category).
const NAMES = {
  'DRUG GM': 'Drug & General Merchandise',
  'MEAT-PCKGD': 'Packaged Meat',
  'SEAFOOD-PCKGD': 'Packaged Seafood',
  'PORTABLE ELECTRIC APPLIANCES|COFFEE': 'Coffee Maker',
  'PORTABLE ELECTRIC APPLIANCES|BLEND/MIX': 'Blender',
  'PORTABLE ELECTRIC APPLIANCES|GENERAL USE/MISC': 'Countertop Appliance',
  'PERSONAL CARE APPLIANCES|HAIR DRYERS STYLERS SETTER': 'Hair Dryer',
  'FLUID MILK PRODUCTS|FLUID MILK WHITE ONLY': 'White Milk',
  'BEERS/ALES|BEERALEMALT LIQUORS': 'Beer',
  'BEERS/ALES|BEERALE -NON ALCOHOLIC': 'Non-Alcoholic Beer',
  'SOFT DRINKS|SOFT DRINKS 12/18&15PK CAN CAR': 'Soft Drink Cans Multipack',
  'SOFT DRINKS|SFT DRNK 2 LITER BTL CARB INCL': 'Soft Drink 2-Liter Bottle',
  'SOFT DRINKS|SFT DRNK SNGL SRV BTL CARB (EX': 'Soft Drink Single Bottle',
  'SOFT DRINKS|SFT DRNK MLT-PK BTL CARB (EXCP': 'Soft Drink Bottles Multipack',
  'DINNER MXS:DRY': 'Dinner Mixes (Dry)',
  'REFRGRATD JUICES/DRNKS|DAIRY CASE 100% PURE JUICE - O': 'Orange Juice (100% Pure)',
  'REFRGRATD JUICES/DRNKS|DAIRY CASE TEA WITH SUGAR OR S': 'Sweet Tea',
  'FRZN VEGETABLE/VEG DSH|FROZEN BOXED VEGETABLES- VALUE A': 'Frozen Boxed Vegetables',
  'SALD DRSNG/SNDWCH SPRD|SEMI-SOLID SALAD DRESSING MAY': 'Mayonnaise',
  'CHEESE|IWS SINGLE CHEESE': 'Cheese Singles',
  'BEEF|LEAN': 'Lean Ground Beef',
  'BEEF|PRIMAL': 'Beef Steak Cut',
  'DIETARY AID PRODUCTS|DIET CNTRL LIQS NUTRITIONAL': 'Diet Shake',
  'DIETARY AID PRODUCTS|DIET CNTRL BARS NUTRITIONAL': 'Diet Bar',
  'DIETARY AID PRODUCTS|DIET CNTRL POWDERS NUTRITIONAL': 'Diet Shake Powder',
  'DIETARY AID PRODUCTS|DIET CONTROL TABLETS/CAPSULE': 'Diet Capsules',
  'FAMILY PLANNING|PROPHYLACTICS': 'Condoms',
  'FEMININE HYGIENE|FEM. HYGN.NAPKINS': 'Sanitary Pads',
  'FEMININE HYGIENE|FEM. HYGN. TAMPONS': 'Tampons',
  'FEMININE HYGIENE|FEM. HYGN. PANTILINERS': 'Pantiliners',
  'BABY HBC|COTTON COTTON SWABS': 'Cotton Swabs',
  'WATER - CARBONATED/FLVRD DRINK|NON-CRBNTD DRNKING/MNERAL WATE': 'Still Drinking Water',
  'WATER - CARBONATED/FLVRD DRINK|SPRING WATER': 'Spring Water',
};
// Word-level expansions of the abbreviations (and truncations) the source uses.
const WORDS = {
  FRZN: 'Frozen', SFT: 'Soft', DRNK: 'Drink', DRNKS: 'Drinks', BTL: 'Bottle', CARB: 'Carbonated', SNGL: 'Single',
  SRV: 'Serve', PKGD: 'Packaged', PCKGD: 'Packaged', BKD: 'Baked', FD: 'Food', MXS: 'Mixes', MIXS: 'Mixes',
  BRKFST: 'Breakfast', WHLSM: 'Wholesome', SALD: 'Salad', DRSNG: 'Dressing', SNDWCH: 'Sandwich', SPRD: 'Spread',
  REFRGRATD: 'Refrigerated', VEG: 'Vegetable', DSH: 'Dishes', BN: 'Bean', PNT: 'Peanut', BTR: 'Butter',
  PWDR: 'Powder', CRYSTL: 'Crystal', MX: 'Mix', TRSH: 'Trash', BG: 'Bags', TISS: 'Tissues', DNR: 'Dinner',
  CLEANG: 'Cleaning', JCE: 'Juice', CONC: 'Concentrate', SNKS: 'Snacks', CKYS: 'Cookies', CRKR: 'Crackers',
  CNDY: 'Candy', GDS: 'Goods', SW: 'Sweet', PREP: 'Prepared', SAUS: 'Sausage', MISC: 'Misc.', BR: 'Bread',
  SUPPPLIES: 'Supplies', MEMORABLILIA: 'Memorabilia', DISPOSIBLE: 'Disposable', PKLD: 'Pickled', COCO: 'Cocoa',
  RTD: 'Ready-to-Drink', CKTLS: 'Cocktails', WTR: 'Water', SHERBTS: 'Sherbets', HBC: 'Health & Beauty',
  GM: 'General Merchandise', TN: 'Tennessee', PK: 'Pack', IWS: 'Individually Wrapped', GRND: 'Ground',
  PRODUC: 'Products', UNDERGARMEN: 'Undergarments', 'W/': 'with', FLVRD: 'Flavored', CNTRL: 'Control',
  DAN: 'Danish', FRD: 'Fried', PC: 'Piece', '8PC/CUT': '8-Piece Cut', 'BONELESS(IQF)': 'Boneless (Frozen)',
  'CILANTO': 'Cilantro', 'WHOLE&CROWNS': 'Whole & Crowns', 'SWEET&YAMS': 'Sweet & Yams', '(BULK&BAG)': '',
  PKG: 'Pack', 'MLT-PK': 'Multipack', ALL: '', BEERALEMALT: 'Beer/Ale/Malt', MLK: 'Milk', PWDRS: 'Powders',
  DNRS: 'Dinners', 'MLK/SYRUP/PWDRS': 'Milk Syrups & Powders', 'POTATO/TORT': 'Potato/Tortilla', DXM: '(DXM)',
  'N-PRESC': 'Non-Prescription', 'COOKNG/BKNGWARES': 'Cooking & Baking Ware', CIG: 'Cigarette', LTR: 'Lighter',
  SS: 'Single-Serve', SPECILATY: 'Specialty', 'DRNKS': 'Drinks', 'FLVR': 'Flavored', 'MNR': 'Mineral', 'DRNK/MNR': 'Drinking/Mineral', 'WHL': 'Whole',
  'FS/WHL/CUT': 'Whole/Cut', 'SPLY': 'Supplies', 'PKLD': 'Pickled', 'BKNG': 'Baking', 'HOTDOG': 'Hot Dog',
};
const SMALL = new Set(['and', 'or', 'of', 'with', 'for', 'in', 'on', 'the', 'a', 'to', '&']);

function readable(raw) {
  const words = raw
    .replace(/\([^)]*$/, '') // a parenthesis the source truncated: "(42 UNDER"
    .split(/\s+/)
    .filter((w, i, all) => w !== '' && w !== all[i - 1]) // "COTTON COTTON SWABS"
    .map((w) => (w in WORDS ? WORDS[w] : w))
    .filter((w) => w !== '')
    .join(' ')
    .split(' ');
  return words
    .map((word, i) => {
      if (/[a-z]/.test(word)) return word; // already readable (an expansion)
      const lower = word.toLowerCase();
      if (i > 0 && SMALL.has(lower)) return lower;
      // capitalize each part of "BUNS/ROLLS", "X-LARGE", "NON-DAIRY"
      return lower.replace(/(^|[/\-&(])([a-z])/g, (_, sep, c) => sep + c.toUpperCase());
    })
    .join(' ');
}

// A department or category name; with `category`, the name of a product type in it (a "SW GDS:DONUTS" type loses
// its "SW GDS:" shelf code).
function nameOf(level, category = '') {
  if (!category) return NAMES[level] ?? readable(level);
  return NAMES[`${category}|${level}`] ?? readable(level.replace(/^[A-Z ]{2,10}:\s*/, ''));
}

const UNITS = { OZ: 'oz', LB: 'lb', CT: 'ct', GA: 'gal', GAL: 'gal', DZ: 'dozen', DOZ: 'dozen', L: 'L', ML: 'ml',
  PK: 'pack', IN: 'in', CUP: 'cup', PC: 'pc', LTR: 'L', QT: 'qt', PT: 'pt' };

// "16 OZ" -> "16 oz", "6 PK/8 OZ" -> "6 pack/8 oz"; anything that is not a number with a known unit is dropped
// (cigarette "sizes" are internal codes). Produce sizes are the supplier's case ("40 LB" of bananas), not what a
// shopper buys, so they are dropped too.
function readableSize(p) {
  if (p.department === 'PRODUCE') return '';
  const tokens = p.package_size.replace(/\([^)]*\)/g, ' ').trim().split(/\s+|(?=\/)|(?<=\/)/);
  const from = tokens.findIndex((t) => /^\d/.test(t));
  if (from < 0) return '';
  const out = [];
  for (const t of tokens.slice(from)) {
    if (/^\d+(\.\d+)?([-/]\d+(\.\d+)?)?$/.test(t) && Number.parseFloat(t) < 1000) out.push(t);
    else if (t === '/') out.push('/');
    else if (UNITS[t]) out.push(UNITS[t]);
    else return '';
  }
  const size = out.join(' ').replace(/ \/ /g, '/');
  return /[a-zL]$/.test(size) ? size : '';
}

// Categories whose product types do not name the product on their own ("Economy" bacon, "Butts" of pork): the title
// leads with the short name given here ("Bacon: Economy").
const CATEGORY_LEADS = {
  'CHEESES': 'Deli Cheese', 'CHICKEN/POULTRY': 'Deli Chicken', 'DELI MEATS': 'Deli', 'BACON': 'Bacon',
  'DINNER SAUSAGE': 'Sausage', 'HOT DOGS': 'Hot Dogs', 'BREAKFAST SAUSAGE/SANDWICHES': 'Breakfast Sausage',
  'HEAT/SERVE': 'Heat & Serve', 'PORK': 'Pork', 'CAKES': 'Cake', 'COOKIES': 'Bakery Cookies', 'BREAD': 'Bread',
  'PASTA SAUCE': 'Pasta Sauce', 'MARGARINES': 'Margarine', 'ICE CREAM/MILK/SHERBTS': 'Ice Cream',
  'FROZEN PIZZA': 'Frozen Pizza', 'MEAT - SHELF STABLE': 'Shelf-Stable Meat', 'MAKEUP AND TREATMENT': 'Makeup',
  'FLORAL-FRESH CUT': 'Fresh Flowers', 'FROZEN NOVELTIES/WTR ICE': 'Frozen Treats', 'KITCHEN GADGETS': 'Kitchen',
  'PAPER HOUSEWARES': 'Disposable', 'COSMETIC ACCESSORIES': 'Accessories', 'SEAFOOD - SHELF STABLE': 'Canned',
  'WAREHOUSE SNACKS': 'Snacks', 'BAKED SWEET GOODS': 'Bakery', 'MEAT - MISC': 'Frozen Meat',
};

function titleOf(p) {
  let title = nameOf(p.product_type, p.product_category);
  const lead = CATEGORY_LEADS[p.product_category];
  if (lead) title = `${lead}: ${title}`;
  const size = readableSize(p);
  if (size) title += `, ${size}`;
  if (p.brand === 'Private') title += ' (store brand)';
  return title;
}

// Looks a category-level rule up, letting a "CATEGORY|TYPE" rule win over the category's.
function lookup(table, p) {
  const typeKey = `${p.product_category}|${p.product_type}`;
  if (typeKey in table) return table[typeKey];
  return table[p.product_category] ?? null;
}

// ---- input ------------------------------------------------------------------------------------------------------------
function readCsv(path) {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const cols = header.split(',');
  return lines.map((line) => {
    if (line.includes('"')) throw new Error(`${path}: quoted fields are not expected: ${line}`);
    const values = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, values[i] ?? '']));
  });
}

const products = new Map(readCsv(join(SOURCE, 'products.csv')).map((p) => [p.product_id, p]));
const stats = new Map(); // product_id -> { lines, households: Set, unitPrices: [] }
for (const t of readCsv(join(SOURCE, 'transactions_sample.csv'))) {
  let s = stats.get(t.product_id);
  if (!s) stats.set(t.product_id, (s = { lines: 0, households: new Set(), unitPrices: [] }));
  s.lines += 1;
  s.households.add(t.household_id);
  const quantity = Number(t.quantity);
  const value = Number(t.sales_value);
  if (quantity > 0 && value > 0) s.unitPrices.push(value / quantity);
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function isProduct(p) {
  return (
    p.product_category !== '' &&
    p.product_type !== '' &&
    !EXCLUDED_DEPARTMENTS.has(p.department) &&
    !EXCLUDED_CATEGORIES.has(p.product_category) &&
    !EXCLUDED_TYPES.has(p.product_type)
  );
}

// Every bought product that can be sold in the demo, most bought first (ties: more households, then lower id).
const ranked = [...stats.entries()]
  .filter(([id, s]) => products.has(id) && isProduct(products.get(id)) && s.unitPrices.length > 0)
  .sort(([a, x], [b, y]) => y.lines - x.lines || y.households.size - x.households.size || Number(a) - Number(b))
  .map(([id]) => products.get(id));

// ---- selection --------------------------------------------------------------------------------------------------------
const chosen = [];
const titles = new Set();
const ids = new Set();
function take(p) {
  if (chosen.length >= CATALOG_SIZE || ids.has(p.product_id)) return false;
  const title = titleOf(p);
  if (titles.has(title)) return false;
  chosen.push(p);
  ids.add(p.product_id);
  titles.add(title);
  return true;
}

for (const [category, types] of Object.entries(SPECIAL_CATEGORIES)) {
  for (const p of ranked) if (p.product_category === category && types.test(p.product_type)) take(p);
}
const sensitiveCategories = [...new Set(Object.keys(SENSITIVITY).map((k) => k.split('|')[0]))];
for (const category of sensitiveCategories) {
  let n = 0;
  for (const p of ranked) {
    if (n >= PER_SENSITIVE_CATEGORY) break;
    if (p.product_category === category && lookup(SENSITIVITY, p) && take(p)) n += 1;
  }
}
for (const department of new Set(ranked.map((p) => p.department))) {
  let n = 0;
  for (const p of ranked) {
    if (n >= PER_DEPARTMENT_AT_LEAST) break;
    if (p.department === department && take(p)) n += 1;
  }
}
const perCategory = new Map();
for (const p of chosen) perCategory.set(p.product_category, (perCategory.get(p.product_category) ?? 0) + 1);
for (const p of ranked) {
  if (chosen.length >= CATALOG_SIZE) break;
  const n = perCategory.get(p.product_category) ?? 0;
  if (n < PER_CATEGORY && take(p)) perCategory.set(p.product_category, n + 1);
}

// Code-unit order, so the output never depends on the machine's locale.
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---- output -----------------------------------------------------------------------------------------------------------
const catalog = chosen
  .map((p) => {
    const product = {
      id: p.product_id,
      title: titleOf(p),
      category: [nameOf(p.department), nameOf(p.product_category), nameOf(p.product_type, p.product_category)].filter(
        (c) => c !== '',
      ),
      brand: p.brand,
      price: Math.round(median(stats.get(p.product_id).unitPrices) * 100) / 100,
    };
    const sensitivity = lookup(SENSITIVITY, p);
    if (sensitivity) product.sensitivity = sensitivity;
    const lifecycle = lookup(LIFECYCLE, p);
    if (lifecycle) product.lifecycle = lifecycle;
    return product;
  })
  .sort((a, b) => compare(a.category.join('/'), b.category.join('/')) || Number(a.id) - Number(b.id));

mkdirSync(dirname(OUT), { recursive: true });
// One product per line: small, and a diff shows which products changed.
writeFileSync(OUT, `[\n${catalog.map((p) => JSON.stringify(p)).join(',\n')}\n]\n`);

// ---- the aggregate model ----------------------------------------------------------------------------------------------
const households = new Set([...stats.values()].flatMap((st) => [...st.households]));
const buyers = new Map(catalog.map((p) => [p.id, stats.get(p.id).households]));
const popularity = catalog
  .filter((p) => buyers.get(p.id).size >= MIN_HOUSEHOLDS)
  .map((p) => [p.id, Math.round((buyers.get(p.id).size / households.size) * 1e6) / 1e6])
  .sort(([a, x], [b, y]) => y - x || Number(a) - Number(b));
const byHousehold = new Map(); // household -> chosen products it bought
for (const [id, set] of buyers) for (const h of set) (byHousehold.get(h) ?? byHousehold.set(h, []).get(h)).push(id);
const pairs = new Map(); // "a|b" -> households
for (const ids of byHousehold.values()) {
  const sorted = [...ids].sort();
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const key = `${sorted[i]}|${sorted[j]}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
}
const near = new Map();
for (const [key, n] of pairs) {
  if (n < MIN_HOUSEHOLDS) continue;
  const [a, b] = key.split('|');
  const weight = Math.round((n / Math.sqrt(buyers.get(a).size * buyers.get(b).size)) * 1e4) / 1e4;
  (near.get(a) ?? near.set(a, []).get(a)).push([b, weight]);
  (near.get(b) ?? near.set(b, []).get(b)).push([a, weight]);
}
const neighbours = [...near.entries()]
  .sort(([a], [b]) => Number(a) - Number(b))
  .map(([id, list]) => [id, list.sort(([x, v], [y, w]) => w - v || Number(x) - Number(y)).slice(0, MAX_NEIGHBOURS)]);
const model = { version: 1, minCustomers: MIN_HOUSEHOLDS, popularity, trending: [], neighbours, dim: 0, embeddings: [] };
writeFileSync(MODEL_OUT, `${JSON.stringify(model)}\n`);
console.log(
  `derive-demo-catalog: wrote www/data/model.json (popularity of ${popularity.length} products, ` +
    `neighbours of ${neighbours.length}, from ${households.size} households, k = ${MIN_HOUSEHOLDS})`,
);

const count = (f) => catalog.filter(f).length;
console.log(
  `derive-demo-catalog: wrote ${catalog.length} products to www/data/catalog.json ` +
    `(${new Set(catalog.map((p) => p.category[0])).size} departments, ` +
    `${count((p) => p.sensitivity)} sensitive, ${count((p) => p.lifecycle?.kind === 'durable')} durable, ` +
    `${count((p) => p.lifecycle?.kind === 'consumable')} consumable)`,
);
