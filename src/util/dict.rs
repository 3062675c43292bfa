//! A small string-keyed map kept sorted in a `Vec`: what outputs (`removedCounts`, `cleaning`) and the policy's
//! maps (`sensitiveCategories`, `boostTags`) need. It replaces `BTreeMap`, whose node code and the stable sort its
//! `collect` runs were ~25 KB of the wasm build for maps of a few dozen keys. Serialized as a plain object.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;
use std::marker::PhantomData;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict<V>(Vec<(String, V)>);

impl<V> Dict<V> {
    pub fn new() -> Self {
        Dict(Vec::new())
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`; a later insert of the same key replaces the earlier one (as in JSON).
    pub fn insert(&mut self, key: String, value: V) {
        match self.position(&key) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Dict<u32> {
    pub fn add(&mut self, key: &str, n: u32) {
        match self.position(key) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 += n;
                }
            }
            Err(i) => self.0.insert(i, (key.to_string(), n)),
        }
    }
}

impl<V> FromIterator<(String, V)> for Dict<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut d = Dict::new();
        for (k, v) in iter {
            d.insert(k, v);
        }
        d
    }
}

impl<'a, V> IntoIterator for &'a Dict<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&'a (String, V)) -> (&'a String, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V: Serialize> Serialize for Dict<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Dict<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Dict<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dict<V>, A::Error> {
                let mut d = Dict::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    d.insert(k, v);
                }
                Ok(d)
            }
        }
        deserializer.deserialize_map(V2(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut d: Dict<u32> = Dict::new();
        d.add("b", 1);
        d.add("a", 2);
        d.add("b", 3);
        assert_eq!(d.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("a", 2), ("b", 4)]);
        assert_eq!(d.get("c"), None);
        assert!(d.contains_key("a"));
        d.insert("a".into(), 9);
        assert_eq!(d.get("a"), Some(&9));
    }
}
