// Derives the demo store's data in www/data/ from 84.51° The Complete Journey in data/complete-journey/ (see
// www/data/PROVENANCE.md for the licences): the catalog (catalog.json), the aggregate model (model.json, built by
// `tactful model build`), and the persona picker's real households (personas.json, personas/*.csv).
// Deterministic: the same input files (and the same tactful build) give byte-identical output.
//
//   node scripts/derive-demo-catalog.mjs                 (runs `cargo run --release --features cli` for the model)
//   TACTFUL_BIN=target/release/tactful node scripts/derive-demo-catalog.mjs
//
// The catalog, in this order:
//   A. ~400 products of the transaction sample (transactions_sample.csv), until CATALOG_SIZE:
//     1. durables (SPECIAL_CATEGORIES below): so OWNED_DURABLE has something to act on;
//     2. sensitive categories (SENSITIVITY below): up to PER_SENSITIVE_CATEGORY each, so SENSITIVE_CLASS and
//        COMPLIANCE have something to act on;
//     3. the PER_DEPARTMENT_AT_LEAST most bought products of every department, so small departments show up too;
//     4. the most bought products (by transaction lines, then households, then id), at most PER_CATEGORY per
//        product_category: a spread of the store, not 200 kinds of milk.
//     Products whose readable title would repeat one already chosen are skipped (the catalog reads like a store).
//   B. every product the personas (real dev households, picked by the rules in PERSONAS) bought;
//   C. the dev households' top sellers (by households), until DEV_CATALOG_SIZE;
//   D. a small made-up electronics set (ELECTRONICS), labelled as such, for compatibility.
// Dev-history products are grouped by readable title and category (the source has no product names): one catalog
// product per group, and the history lines of the group are mapped to it. Non-product lines (fuel, coupons,
// deposits, tickets, photo finishing, ...) are never chosen.
//
// Mapped fields:
//   id          product_id, as a string
//   title       product_type (or an override below), made readable, + package size, + "(store brand)" for Private
//   category    [department, product_category, product_type], readable, empty levels dropped
//   brand       "National" or "Private" (the only brand information the data has)
//   price       median of sales_value / quantity over the product's sample lines (else over its dev-history lines),
//               rounded to cents
//   sensitivity SENSITIVITY, by category (and type where a category mixes classes)
//   lifecycle   LIFECYCLE: durables with a lifetime, consumables with a typical repurchase interval; else omitted

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
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

// ---- the dev households: top sellers and the personas' products ---------------------------------------------------
// The full 2017 purchases of the 617 dev households (dev-split/history.csv). Products are grouped by what a shopper
// sees (the readable title and the category path): the source has no product names, so "White Milk, 1 gal (store
// brand)" is hundreds of ids. Each group is one catalog product, represented by the id already chosen above or else by
// the group's most bought id, and every history line of the group is mapped to that id (for the model and the
// personas). Non-product lines (fuel, coupons, ...) are dropped.
const devLines = readFileSync(join(SOURCE, 'dev-split/history.csv'), 'utf8').split('\n');
if (devLines[0] !== 'customer_id,product_id,at,quantity,order_id,price') throw new Error('dev-split: unexpected header');
const dev = [];
for (const line of devLines.slice(1)) {
  if (line === '') continue;
  const [customer, product, at, quantity, order, price] = line.split(',');
  const p = products.get(product);
  if (!p || !isProduct(p)) continue;
  dev.push({ customer, product, at, quantity: Number(quantity), order, price: Number(price) });
}
const keyOf = (p) => `${titleOf(p)}|${p.department}|${p.product_category}|${p.product_type}`;
const chosenByKey = new Map(chosen.map((p) => [keyOf(p), p.product_id]));
const groups = new Map(); // key -> { ids: Map(id -> lines), households: Set, prices: [] }
for (const r of dev) {
  const key = keyOf(products.get(r.product));
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { ids: new Map(), households: new Set(), prices: [] }));
  g.ids.set(r.product, (g.ids.get(r.product) ?? 0) + 1);
  g.households.add(r.customer);
  if (r.price > 0) g.prices.push(r.price);
}
const representative = new Map(); // key -> product id
for (const [key, g] of groups) {
  const most = [...g.ids].sort(([a, x], [b, y]) => y - x || Number(a) - Number(b))[0][0];
  representative.set(key, chosenByKey.get(key) ?? most);
}
const repOf = (productId) => representative.get(keyOf(products.get(productId)));

// The personas: real dev households picked by a rule each, so a rerun picks the same ones.
const perHousehold = new Map();
for (const r of dev) {
  let h = perHousehold.get(r.customer);
  if (!h) perHousehold.set(r.customer, (h = { id: r.customer, lines: 0, orders: new Set(), products: new Map(),
    categories: new Set(), baby: 0, vice: 0, durable: 0 }));
  const p = products.get(r.product);
  h.lines += 1;
  h.orders.add(r.order);
  h.products.set(r.product, (h.products.get(r.product) ?? 0) + 1);
  h.categories.add(p.product_category);
  const sensitivity = lookup(SENSITIVITY, p);
  if (sensitivity === 'pregnancy_baby') h.baby += 1;
  if (sensitivity === 'alcohol' || sensitivity === 'tobacco') h.vice += 1;
  if (lookup(LIFECYCLE, p)?.kind === 'durable') h.durable += 1;
}
const households = [...perHousehold.values()].sort((a, b) => Number(a.id) - Number(b.id));
const used = new Set();
function pick(rule, score, filter) {
  const h = households.filter((x) => !used.has(x.id) && filter(x)).sort((a, b) => score(b) - score(a))[0];
  if (!h) throw new Error(`no household fits: ${rule}`);
  used.add(h.id);
  return h;
}
const PERSONAS = [
  { rule: 'most baby-class lines, under 1,000 lines', h: pick('baby', (x) => x.baby, (x) => x.lines < 1000),
    name: 'A family with a baby',
    why: 'Diapers, formula and baby food every week: the engine uses none of it unless the shopper opts in, and never names it in an email.' },
  { rule: 'fewest lines, at least 2 orders and 3 lines', h: pick('thin', (x) => -x.lines,
    (x) => x.orders.size >= 2 && x.lines >= 3),
  name: 'A shopper with thin data',
  why: 'Two visits, a handful of items: too little to be personal, so the store blends in popular picks and says so.' },
  { rule: 'most lines per distinct product, at least 1,000 lines', h: pick('repeat',
    (x) => x.lines / x.products.size, (x) => x.lines >= 1000),
  name: 'A heavy repeat buyer',
  why: 'The same staples week after week: repurchase timing decides what comes back, and what was just bought waits.' },
  { rule: 'most product categories, under 1,500 lines', h: pick('broad', (x) => x.categories.size,
    (x) => x.lines < 1500),
  name: 'A household account',
  why: 'Nearly every aisle, as a family on one loyalty card buys; the data names no members, so say "This device is shared" and see what a shared screen hides.' },
  { rule: 'largest share of alcohol and tobacco lines, at least 300 lines', h: pick('vice',
    (x) => x.vice / x.lines, (x) => x.lines >= 300),
  name: 'A regular alcohol buyer',
  why: 'Beer, wine or spirits in most weeks: age-restricted and sensitive, so never suggested without an opt-in and an age check, and never in a message.' },
  { rule: 'largest share of durable lines, at least 100 lines', h: pick('durable',
    (x) => x.durable / x.lines, (x) => x.lines >= 100),
  name: 'A new kitchen',
  why: 'Bought cookware, bakeware and kitchen tools: the store does not offer another pan while the one owned should still be going.' },
];

// Catalog: the products chosen above, every product the personas bought, then the dev households' top sellers
// (by households, then lines) up to DEV_CATALOG_SIZE.
const DEV_CATALOG_SIZE = 3000;
const catalogIds = new Set(chosen.map((p) => p.product_id));
for (const { h } of PERSONAS) for (const id of h.products.keys()) catalogIds.add(repOf(id));
const topSellers = [...groups]
  .sort(([a, x], [b, y]) => y.households.size - x.households.size
    || [...y.ids.values()].reduce((s, n) => s + n, 0) - [...x.ids.values()].reduce((s, n) => s + n, 0)
    || compare(a, b));
for (const [key] of topSellers) {
  if (catalogIds.size >= DEV_CATALOG_SIZE) break;
  catalogIds.add(representative.get(key));
}
const priceOf = (id) => {
  const sample = stats.get(id)?.unitPrices ?? [];
  if (sample.length > 0) return median(sample);
  const g = groups.get(keyOf(products.get(id)));
  return g && g.prices.length > 0 ? median(g.prices) : null;
};

// ---- the synthetic electronics set (made up, labelled) ----------------------------------------------------------------
// The grocery data has no devices with accessories, so compatibility (INCOMPATIBLE) gets a small made-up set:
// devices with a product line, accessories that fit some lines, universal ones that fit all. Every one is under the
// department "Electronics (made-up demo products)" and tagged "synthetic".
const EL = 'Electronics (made-up demo products)';
const device = (id, title, kind, line, price) => ({ id, title, category: [EL, kind], brand: title.split(' ')[0], price,
  lifecycle: durable(3 * 365), productLine: line, tags: ['synthetic'] });
const accessory = (id, title, kind, fits, price) => ({ id, title, category: [EL, kind], brand: title.split(' ')[0],
  price, ...(fits.length ? { compatibleWith: fits } : {}), tags: ['synthetic'] });
const ELECTRONICS = [
  device('el-nova-12', 'Nova 12 phone', 'Phones', 'nova-12', 699),
  device('el-nova-13', 'Nova 13 phone', 'Phones', 'nova-13', 799),
  device('el-pixo-8', 'Pixo 8 phone', 'Phones', 'pixo-8', 599),
  device('el-slate-11', 'Slate 11 tablet', 'Tablets', 'slate-11', 549),
  device('el-arc-14', 'Arc 14 laptop', 'Laptops', 'arc-14', 1099),
  accessory('el-case-nova-12', 'Nova 12 clear case', 'Phone cases', ['nova-12'], 19),
  accessory('el-case-nova-13', 'Nova 13 clear case', 'Phone cases', ['nova-13'], 19),
  accessory('el-case-pixo-8', 'Pixo 8 leather case', 'Phone cases', ['pixo-8'], 29),
  accessory('el-glass-nova', 'Nova 12/13 screen protector', 'Screen protectors', ['nova-12', 'nova-13'], 12),
  accessory('el-glass-pixo-8', 'Pixo 8 screen protector', 'Screen protectors', ['pixo-8'], 12),
  accessory('el-keyboard-slate-11', 'Slate 11 keyboard cover', 'Tablet accessories', ['slate-11'], 129),
  accessory('el-pen-slate', 'Slate pen', 'Tablet accessories', ['slate-11'], 89),
  accessory('el-sleeve-arc-14', 'Arc 14 laptop sleeve', 'Laptop accessories', ['arc-14'], 39),
  accessory('el-charger-usbc', 'Volt 30 W USB-C charger', 'Chargers', [], 25),
  accessory('el-earbuds', 'Volt wireless earbuds', 'Audio', [], 79),
];
// Made-up orders for the model (customers 900001…; none is a real household): each buys one device, then over the
// next weeks one to three accessories that fit it, and sometimes a universal one. Seeded, so reruns are identical.
const SYNTHETIC_CUSTOMERS = 60;
let seed = 20170101;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const syntheticRows = [];
const devices = ELECTRONICS.filter((p) => p.productLine);
for (let i = 0; i < SYNTHETIC_CUSTOMERS; i++) {
  const customer = String(900001 + i);
  const d = devices[Math.floor(random() * devices.length)];
  const start = Date.UTC(2017, 1, 1) + Math.floor(random() * 250) * 86_400_000;
  const fits = ELECTRONICS.filter((p) => p.compatibleWith?.includes(d.productLine));
  const universal = ELECTRONICS.filter((p) => !p.productLine && !p.compatibleWith);
  const bought = [d, ...fits.filter(() => random() < 0.7), ...universal.filter(() => random() < 0.4)];
  bought.forEach((p, n) => {
    const at = new Date(start + n * 9 * 86_400_000).toISOString().slice(0, 19);
    syntheticRows.push([customer, p.id, at, 1, `syn-${customer}-${n}`, p.price.toFixed(2)].join(','));
  });
}

// ---- output -----------------------------------------------------------------------------------------------------------
const catalog = [...catalogIds]
  .map((id) => products.get(id))
  .map((p) => {
    const product = {
      id: p.product_id,
      title: titleOf(p),
      category: [nameOf(p.department), nameOf(p.product_category), nameOf(p.product_type, p.product_category)].filter(
        (c) => c !== '',
      ),
      brand: p.brand,
      price: Math.round((priceOf(p.product_id) ?? 0) * 100) / 100,
    };
    const sensitivity = lookup(SENSITIVITY, p);
    if (sensitivity) product.sensitivity = sensitivity;
    const lifecycle = lookup(LIFECYCLE, p);
    if (lifecycle) product.lifecycle = lifecycle;
    return product;
  })
  .concat(ELECTRONICS)
  .sort((a, b) => compare(a.category.join('/'), b.category.join('/')) || compare(a.id, b.id));

mkdirSync(dirname(OUT), { recursive: true });
// One product per line: small, and a diff shows which products changed.
writeFileSync(OUT, `[\n${catalog.map((p) => JSON.stringify(p)).join(',\n')}\n]\n`);

// ---- the personas' histories ----------------------------------------------------------------------------------------
// One plain CSV per household (the format the preference center imports, read by the same code in www/import.js),
// and an index with each persona's name and why it is interesting: the index holds no purchases, so the store can
// show the picker before consent and fetch a history only after it.
const PERSONA_DIR = join(root, 'www/data/personas');
mkdirSync(PERSONA_DIR, { recursive: true });
const index = [];
for (const persona of PERSONAS) {
  const rows = dev.filter((r) => r.customer === persona.h.id);
  const csv = rows.map((r) => [r.customer, repOf(r.product), r.at, r.quantity, r.order, r.price.toFixed(2)].join(','));
  const file = `household-${persona.h.id}.csv`;
  writeFileSync(join(PERSONA_DIR, file), `customer_id,product_id,at,quantity,order_id,price\n${csv.join('\n')}\n`);
  index.push({ id: `household-${persona.h.id}`, name: persona.name, why: persona.why, kind: 'real',
    file: `data/personas/${file}`, lines: rows.length, orders: new Set(rows.map((r) => r.order)).size,
    rule: persona.rule });
}
// The made-up personas: the hand-written sample shopper (history.json) and an electronics owner.
const sample = JSON.parse(readFileSync(join(root, 'www/data/history.json'), 'utf8'));
const ELECTRONICS_SHOPPER = [
  ['el-nova-12', '2017-09-02T15:20:00', 'syn-e-1', 699],
  ['el-earbuds', '2017-09-02T15:20:00', 'syn-e-1', 79],
  ['el-glass-nova', '2017-09-16T11:05:00', 'syn-e-2', 12],
];
writeFileSync(join(PERSONA_DIR, 'made-up-electronics.csv'), `customer_id,product_id,at,quantity,order_id,price\n${
  ELECTRONICS_SHOPPER.map(([id, at, order, price]) => ['made-up', id, at, 1, order, price.toFixed(2)].join(','))
    .join('\n')}\n`);
index.unshift({ id: 'sample', name: 'Sample shopper (made up)', kind: 'made-up', file: 'data/history.json',
  why: 'Written by hand to show many guardrails in 35 lines: a return, a gift, a coffee maker owned, diapers and tampons.',
  lines: sample.length, orders: new Set(sample.map((e) => e.orderId)).size });
index.push({ id: 'electronics', name: 'A phone owner (made up)', kind: 'made-up',
  file: 'data/personas/made-up-electronics.csv',
  why: 'Owns a Nova 12 phone from the made-up electronics set: cases that fit other phones are held back (INCOMPATIBLE).',
  lines: ELECTRONICS_SHOPPER.length, orders: 2 });
writeFileSync(join(root, 'www/data/personas.json'), `[\n${index.map((p) => JSON.stringify(p)).join(',\n')}\n]\n`);

// ---- the model: `tactful model build` over the dev households -------------------------------------------------------
// Every product line of the dev households, mapped to the catalog's ids, restricted to the catalog, plus the made-up
// electronics orders; built by the native tool with its k-anonymity floor (MIN_CUSTOMERS distinct customers behind
// every popularity and pair, or it is dropped) and EMBEDDING_DIM embedding dimensions.
const MIN_CUSTOMERS = 5;
const EMBEDDING_DIM = 8;
const MAX_NEIGHBOURS = 10;
const tmp = mkdtempSync(join(tmpdir(), 'tactful-demo-'));
const orders = join(tmp, 'orders.csv');
const inCatalog = new Set(catalog.map((p) => p.id));
const modelRows = [];
for (const r of dev) {
  const id = repOf(r.product);
  if (inCatalog.has(id)) modelRows.push([r.customer, id, r.at, r.quantity, r.order, r.price.toFixed(2)].join(','));
}
writeFileSync(orders, `customer_id,product_id,at,quantity,order_id,price\n${modelRows.concat(syntheticRows).join('\n')}\n`);
const tool = process.env.TACTFUL_BIN
  ? [process.env.TACTFUL_BIN, []]
  : ['cargo', ['run', '--quiet', '--release', '--features', 'cli', '--bin', 'tactful', '--']];
const args = [...tool[1], 'model', 'build', '--orders', orders, '--out', MODEL_OUT,
  '--min-customers', String(MIN_CUSTOMERS), '--dim', String(EMBEDDING_DIM), '--max-neighbours', String(MAX_NEIGHBOURS)];
const run = spawnSync(tool[0], args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
rmSync(tmp, { recursive: true, force: true });
if (run.status !== 0) throw new Error(`tactful model build failed (${run.error ?? `exit ${run.status}`})`);
const model = JSON.parse(readFileSync(MODEL_OUT, 'utf8'));

const bytes = (path) => statSync(path).size;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `derive-demo-catalog: model.json from ${modelRows.length} dev lines + ${syntheticRows.length} made-up electronics `
    + `lines (min customers ${MIN_CUSTOMERS}, dim ${EMBEDDING_DIM}): ${kb(bytes(MODEL_OUT))}`,
);
const count = (f) => catalog.filter(f).length;
console.log(
  `derive-demo-catalog: wrote ${catalog.length} products to www/data/catalog.json (${kb(bytes(OUT))}; `
    + `${new Set(catalog.map((p) => p.category[0])).size} departments, `
    + `${count((p) => p.sensitivity)} sensitive, ${count((p) => p.lifecycle?.kind === 'durable')} durable, `
    + `${count((p) => p.lifecycle?.kind === 'consumable')} consumable, ${ELECTRONICS.length} made-up electronics)`,
);
for (const p of index) {
  console.log(`derive-demo-catalog: persona ${p.id}: ${p.name}, ${p.lines} lines, ${p.orders} orders`
    + `${p.rule ? ` (${p.rule})` : ''}`);
}
void model;
