-- The configuration a buyer had chosen when saving a product to My Favorites, so that Buy
-- opens checkout with it. All five are empty for a product saved without one (before this
-- migration, or through the API without a body); Buy then opens the product's defaults.
ALTER TABLE favorites ADD COLUMN sku_id INTEGER;
ALTER TABLE favorites ADD COLUMN billing_mode TEXT;
ALTER TABLE favorites ADD COLUMN duration_months INTEGER;
ALTER TABLE favorites ADD COLUMN quantity INTEGER;
ALTER TABLE favorites ADD COLUMN region TEXT;
