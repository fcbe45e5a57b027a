//! Helpers shared by the integration tests: small GeoTIFFs in EPSG:32651.

use std::fs::File;
use std::path::Path;
use tiff::encoder::{colortype::ColorType, TiffEncoder, TiffValue};
use tiff::tags::Tag;

/// Writes a north-up single-band GeoTIFF in EPSG:32651 (PixelIsArea): `data` row by
/// row, `cell` metres square, top-left corner at `origin`, strips of `rows_per_strip`.
pub fn write_geotiff<C: ColorType>(
    path: &Path,
    (width, height): (u32, u32),
    data: &[C::Inner],
    origin: (f64, f64),
    cell: f64,
    rows_per_strip: u32,
    nodata: Option<&str>,
) where
    [C::Inner]: TiffValue,
{
    let mut enc = TiffEncoder::new(File::create(path).unwrap()).unwrap();
    let mut img = enc.new_image::<C>(width, height).unwrap();
    img.rows_per_strip(rows_per_strip).unwrap();
    let e = img.encoder();
    e.write_tag(Tag::ModelPixelScaleTag, &[cell, cell, 0.0][..])
        .unwrap();
    e.write_tag(
        Tag::ModelTiepointTag,
        &[0.0, 0.0, 0.0, origin.0, origin.1, 0.0][..],
    )
    .unwrap();
    // projected model, PixelIsArea, ProjectedCSType 32651
    e.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[
            1u16, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32651,
        ][..],
    )
    .unwrap();
    if let Some(nd) = nodata {
        e.write_tag(Tag::GdalNodata, nd).unwrap();
    }
    img.write_data(data).unwrap();
}
