-- The order of the associations list, newest first (ties by id), as an index: a page of the list, and each page
-- of the walk through every association that the migration status report and its CSV export make, starts where
-- the index says instead of sorting the whole table again.

CREATE INDEX ix_association_created ON computer_association (created_at DESC, id);
