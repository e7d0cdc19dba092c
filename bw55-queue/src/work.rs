//! The stand-in work of the book's three stages: download, resize, upload.
//!
//! The book's functions do nothing (`def download(item): return item`); the
//! point there is the plumbing. Here each stage does real but cheap work on a
//! small byte buffer, so that a result can be *checked*: every id has exactly
//! one correct [`Receipt`], which [`process`] computes serially and every
//! pipeline must reproduce. The work is deliberately tiny (tens of
//! nanoseconds), so what the demo and the benchmark measure is the cost of
//! the queues, not of the work.
//!
//! - [`download`] makes an 8×8 "image" of pseudo-random bytes from an id.
//! - [`resize`] averages each 2×2 block into a 4×4 [`Thumbnail`].
//! - [`upload`] hashes the thumbnail (FNV-1a) into a [`Receipt`].
//!
//! [`Stages`] bundles the three functions so a pipeline can be handed a
//! slower or a failing stage (the tests inject panics this way) without
//! changing the pipeline's code.

use std::hint::black_box;

/// Side of a downloaded image, in pixels.
pub const IMAGE_SIDE: usize = 8;
/// Side of a thumbnail: half the image's.
pub const THUMB_SIDE: usize = IMAGE_SIDE / 2;

/// A downloaded image: its id and 8×8 one-byte pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image {
    /// The id the image was downloaded for; it travels with the data so the
    /// end of the pipeline can tell which item a result belongs to.
    pub id: u64,
    /// Row-major pixels.
    pub pixels: [u8; IMAGE_SIDE * IMAGE_SIDE],
}

/// A resized image: 4×4 pixels, each the average of a 2×2 block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thumbnail {
    /// The id of the image it was made from.
    pub id: u64,
    /// Row-major pixels.
    pub pixels: [u8; THUMB_SIDE * THUMB_SIDE],
}

/// What the upload stage hands back: the id and a checksum of what was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Receipt {
    /// The id of the item.
    pub id: u64,
    /// FNV-1a 64 of the thumbnail's pixels.
    pub checksum: u64,
}

/// Downloads (makes) the image for `id`: 64 bytes from an xorshift generator
/// seeded by the id, so the same id always yields the same image.
pub fn download(id: u64) -> Image {
    // Multiplying by an odd constant spreads neighbouring ids apart; `| 1`
    // keeps the state non-zero, which xorshift requires.
    let mut state = id.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut pixels = [0u8; IMAGE_SIDE * IMAGE_SIDE];
    for chunk in pixels.chunks_exact_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes());
    }
    Image { id, pixels }
}

/// Resizes an image to half its side by averaging every 2×2 block.
pub fn resize(image: Image) -> Thumbnail {
    let pixel = |y: usize, x: usize| u16::from(image.pixels[y * IMAGE_SIDE + x]);
    let mut pixels = [0u8; THUMB_SIDE * THUMB_SIDE];
    for ty in 0..THUMB_SIDE {
        for tx in 0..THUMB_SIDE {
            let (y, x) = (2 * ty, 2 * tx);
            let sum = pixel(y, x) + pixel(y, x + 1) + pixel(y + 1, x) + pixel(y + 1, x + 1);
            // Four bytes sum to at most 1020, so the average fits in a byte.
            pixels[ty * THUMB_SIDE + tx] = (sum / 4) as u8;
        }
    }
    Thumbnail {
        id: image.id,
        pixels,
    }
}

/// [`resize`], done `repeats` times over: the same result, `repeats` times
/// the work. It stands in for a slow stage (a busy image service) when the
/// lesson needs one stage slower than the others.
pub fn resize_slowly(image: Image, repeats: u32) -> Thumbnail {
    let mut thumbnail = resize(image);
    for _ in 1..repeats {
        // `black_box` stops the compiler from noticing that every round
        // computes the same thing and keeping only one.
        thumbnail = resize(black_box(image));
    }
    thumbnail
}

/// Uploads a thumbnail: hashes its pixels with FNV-1a 64 into a receipt.
pub fn upload(thumbnail: Thumbnail) -> Receipt {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in thumbnail.pixels {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Receipt {
        id: thumbnail.id,
        checksum: hash,
    }
}

/// The whole job for one id, serially: the reference every pipeline must
/// reproduce, item for item.
pub fn process(id: u64) -> Receipt {
    upload(resize(download(id)))
}

/// Checks that `receipts` holds exactly one correct receipt for every id in
/// `0..items`, in any order.
///
/// The error names the first problem found: a missing id, a duplicate, an id
/// out of range or a wrong checksum.
pub fn check_receipts(receipts: &[Receipt], items: u64) -> Result<(), String> {
    let mut seen = vec![false; usize::try_from(items).map_err(|e| e.to_string())?];
    for receipt in receipts {
        let slot = usize::try_from(receipt.id)
            .ok()
            .and_then(|i| seen.get_mut(i))
            .ok_or_else(|| format!("receipt for id {} is outside 0..{items}", receipt.id))?;
        if *slot {
            return Err(format!("id {} arrived twice", receipt.id));
        }
        *slot = true;
        if *receipt != process(receipt.id) {
            return Err(format!("id {} has a wrong checksum", receipt.id));
        }
    }
    match seen.iter().position(|s| !s) {
        Some(missing) => Err(format!(
            "{} of {items} items arrived; id {missing} is missing",
            receipts.len()
        )),
        None => Ok(()),
    }
}

/// The three stage functions a pipeline runs, boxed so a caller can swap one
/// (a slow resize, a resize that panics) without changing the pipeline.
///
/// They must be `Sync` because every worker of a stage calls the same
/// function at the same time through a shared reference.
pub struct Stages {
    /// id → image.
    pub download: Box<dyn Fn(u64) -> Image + Send + Sync>,
    /// image → thumbnail.
    pub resize: Box<dyn Fn(Image) -> Thumbnail + Send + Sync>,
    /// thumbnail → receipt.
    pub upload: Box<dyn Fn(Thumbnail) -> Receipt + Send + Sync>,
}

impl Stages {
    /// The ordinary stages: [`download`], [`resize`], [`upload`].
    pub fn standard() -> Self {
        Self {
            download: Box::new(download),
            resize: Box::new(resize),
            upload: Box::new(upload),
        }
    }

    /// The ordinary stages, except that resize is `repeats` times slower
    /// ([`resize_slowly`]); the results are the same.
    pub fn with_slow_resize(repeats: u32) -> Self {
        Self {
            resize: Box::new(move |image| resize_slowly(image, repeats)),
            ..Self::standard()
        }
    }
}

impl std::fmt::Debug for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stages { download, resize, upload }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_id_gives_the_same_receipt_and_ids_differ() {
        assert_eq!(process(7), process(7));
        assert_ne!(process(7).checksum, process(8).checksum);
        assert_eq!(process(7).id, 7);
    }

    #[test]
    fn resize_averages_each_block() {
        let mut image = Image {
            id: 1,
            pixels: [0; 64],
        };
        // Top-left block: 10, 20 / 30, 40 → average 25.
        image.pixels[0] = 10;
        image.pixels[1] = 20;
        image.pixels[8] = 30;
        image.pixels[9] = 40;
        let thumbnail = resize(image);
        assert_eq!(thumbnail.pixels[0], 25);
        assert_eq!(thumbnail.pixels[1..], [0; 15]);
    }

    #[test]
    fn a_slow_resize_gives_the_same_result() {
        let image = download(42);
        assert_eq!(resize_slowly(image, 10), resize(image));
    }

    #[test]
    fn receipt_check_names_the_problem() {
        let good: Vec<_> = (0..3).map(process).collect();
        assert_eq!(check_receipts(&good, 3), Ok(()));
        let missing = check_receipts(&good[..2], 3).expect_err("one missing");
        assert!(missing.contains("id 2 is missing"), "{missing}");
        let twice = [good[0], good[0], good[1]];
        let duplicate = check_receipts(&twice, 3).expect_err("a duplicate");
        assert!(duplicate.contains("id 0 arrived twice"), "{duplicate}");
        let mut wrong = good.clone();
        wrong[1].checksum ^= 1;
        let bad = check_receipts(&wrong, 3).expect_err("a wrong checksum");
        assert!(bad.contains("id 1 has a wrong checksum"), "{bad}");
    }
}
