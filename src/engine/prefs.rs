//! The shopper's preferences, resolved against the catalog once per call: names become category nodes, brands and
//! product ids; forgotten topics cascade to everything under them.

use crate::contract::error::Error;
use crate::contract::input::{Intensity, Preferences, SensitivityClass};
use crate::engine::catalog::{Catalog, Pid};
use crate::read::limits::{self, MAX_LIST};
use rustc_hash::FxHashSet;

#[derive(Debug, Default, Clone)]
pub struct Topics {
    pub products: FxHashSet<Pid>,
    pub brands: FxHashSet<u32>,
    pub nodes: FxHashSet<u32>,
    /// Sensitivity classes as a bitmask.
    pub classes: u16,
    /// Ids that are not in the catalog (a forgotten product may have left it): matched on history lines by id.
    pub raw_ids: FxHashSet<String>,
}

impl Topics {
    /// Whether product `p` falls under any of these topics.
    pub fn covers(&self, c: &Catalog, p: Pid) -> bool {
        self.products.contains(&p)
            || self.brands.contains(&c.brand_of(p))
            || c.sensitivity_of(p) & self.classes != 0
            || (!self.nodes.is_empty() && c.ancestors(c.leaf_of(p)).any(|n| self.nodes.contains(&n)))
    }
}

#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // each is a separate consent or statement of the shopper's
pub struct Prefs {
    pub personalization: bool,
    pub email: bool,
    pub push: bool,
    pub opt_in: u16,
    pub muted: Topics,
    pub forgotten: Topics,
    /// The shopper said the device is shared (`sharedDevice: true`).
    pub shared_device: bool,
    /// The shopper said the device is theirs alone (`sharedDevice: false`, distinct from absent): a household detected
    /// in the orders then no longer counts as a shared screen (`disclose::shared`).
    pub device_mine: bool,
    pub interest_nodes: FxHashSet<u32>,
    pub interest_tags: FxHashSet<u32>,
    pub intensity: Intensity,
    pub discovery: Option<f64>,
    pub not_gifts: FxHashSet<String>,
}

impl Prefs {
    pub fn resolve(p: Option<&Preferences>, c: &Catalog, root: &str) -> Result<Prefs, Error> {
        let empty = Preferences::default();
        let p = p.unwrap_or(&empty);
        let at = |k: &str| format!("{root}.{k}");
        let consent = p.consent.clone().unwrap_or_default();
        let mut prefs = Prefs {
            personalization: consent.personalization.unwrap_or(true),
            email: consent.email.unwrap_or(true),
            push: consent.push.unwrap_or(true),
            opt_in: 0,
            muted: Topics::default(),
            forgotten: Topics::default(),
            shared_device: p.shared_device == Some(true),
            device_mine: p.shared_device == Some(false),
            interest_nodes: FxHashSet::default(),
            interest_tags: FxHashSet::default(),
            intensity: p.intensity.unwrap_or_default(),
            discovery: None,
            not_gifts: FxHashSet::default(),
        };
        if let Some(list) = &p.sensitive_opt_in {
            limits::check_list(list.len(), MAX_LIST, &at("sensitiveOptIn"))?;
            prefs.opt_in = list.iter().fold(0, |m, c| m | c.bit());
        }
        if let Some(m) = &p.muted {
            limits::check_list(m.categories.as_ref().map_or(0, Vec::len), MAX_LIST, &at("muted.categories"))?;
            for (i, name) in m.categories.iter().flatten().enumerate() {
                limits::text(name).map_err(|e| e.at(format!("{root}.muted.categories[{i}]")))?;
                prefs.muted.nodes.extend(c.nodes_named(name));
            }
            limits::check_list(m.brands.as_ref().map_or(0, Vec::len), MAX_LIST, &at("muted.brands"))?;
            for (i, name) in m.brands.iter().flatten().enumerate() {
                limits::text(name).map_err(|e| e.at(format!("{root}.muted.brands[{i}]")))?;
                prefs.muted.brands.extend(c.brand_id(name));
            }
            limits::check_list(m.products.as_ref().map_or(0, Vec::len), MAX_LIST, &at("muted.products"))?;
            for (i, id) in m.products.iter().flatten().enumerate() {
                limits::id(id).map_err(|e| e.at(format!("{root}.muted.products[{i}]")))?;
                match c.pid(id) {
                    Some(pid) => {
                        prefs.muted.products.insert(pid);
                    }
                    None => {
                        prefs.muted.raw_ids.insert(id.clone());
                    }
                }
            }
        }
        if let Some(list) = &p.forgotten {
            limits::check_list(list.len(), MAX_LIST, &at("forgotten"))?;
            for (i, topic) in list.iter().enumerate() {
                limits::text(topic).map_err(|e| e.at(format!("{root}.forgotten[{i}]")))?;
                // A topic may be a class, a category name at any level, a brand or a product id: forget all that match.
                if let Some(class) = SensitivityClass::parse(topic) {
                    prefs.forgotten.classes |= class.bit();
                }
                prefs.forgotten.nodes.extend(c.nodes_named(topic));
                prefs.forgotten.brands.extend(c.brand_id(topic));
                match c.pid(topic) {
                    Some(pid) => {
                        prefs.forgotten.products.insert(pid);
                    }
                    None => {
                        prefs.forgotten.raw_ids.insert(topic.clone());
                    }
                }
            }
        }
        if let Some(list) = &p.interests {
            limits::check_list(list.len(), MAX_LIST, &at("interests"))?;
            for (i, name) in list.iter().enumerate() {
                limits::text(name).map_err(|e| e.at(format!("{root}.interests[{i}]")))?;
                prefs.interest_nodes.extend(c.nodes_named(name));
                prefs.interest_tags.extend(c.tag_id(name));
            }
        }
        if let Some(d) = p.discovery {
            if !d.is_finite() || !(0.0..=1.0).contains(&d) {
                return Err(Error::invalid(at("discovery"), "must be a number from 0 to 1"));
            }
            prefs.discovery = Some(d);
        }
        if let Some(list) = &p.not_gifts {
            limits::check_list(list.len(), MAX_LIST, &at("notGifts"))?;
            prefs.not_gifts = list.iter().cloned().collect();
        }
        Ok(prefs)
    }

    /// Whether the shopper opted into every sensitivity class in `mask`.
    pub fn opted_into(&self, mask: u16) -> bool {
        mask & !self.opt_in == 0
    }
}
