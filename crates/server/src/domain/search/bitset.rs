//! A fixed-size set of product positions: one per filter value, combined with word-wise
//! AND and OR, and counted with popcounts.

/// A fixed-size set of product positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub fn empty(len: usize) -> Bitset {
        Bitset { words: vec![0; len.div_ceil(64)] }
    }

    pub fn full(len: usize) -> Bitset {
        let mut set = Bitset::empty(len);
        for position in 0..len {
            set.insert(position);
        }
        set
    }

    pub fn insert(&mut self, position: usize) {
        self.words[position / 64] |= 1 << (position % 64);
    }

    pub fn contains(&self, position: usize) -> bool {
        self.words[position / 64] & (1 << (position % 64)) != 0
    }

    pub fn intersect_with(&mut self, other: &Bitset) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word &= other;
        }
    }

    pub fn union_with(&mut self, other: &Bitset) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word |= other;
        }
    }

    pub fn count(&self) -> u64 {
        self.words.iter().map(|word| u64::from(word.count_ones())).sum()
    }

    /// `|self ∩ other|` without allocating.
    pub fn count_intersection(&self, other: &Bitset) -> u64 {
        self.words.iter().zip(&other.words).map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    pub fn positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(index, word)| {
            let mut word = *word;
            std::iter::from_fn(move || {
                if word == 0 {
                    return None;
                }
                let bit = word.trailing_zeros() as usize;
                word &= word - 1;
                Some(index * 64 + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitset_operations() {
        let mut a = Bitset::empty(130);
        a.insert(0);
        a.insert(64);
        a.insert(129);
        let mut b = Bitset::full(130);
        assert_eq!(b.count(), 130);
        assert_eq!(a.count_intersection(&b), 3);
        b.intersect_with(&a);
        assert_eq!(b.positions().collect::<Vec<_>>(), vec![0, 64, 129]);
        assert!(b.contains(64) && !b.contains(65));
    }
}
