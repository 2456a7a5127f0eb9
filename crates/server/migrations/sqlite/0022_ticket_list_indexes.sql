-- Ticket lists read only their page: a buyer's open and closed tickets apart, in list
-- order; a seller's closed ones likewise. (A seller's open queue, waiting-for-you first by
-- deadline, is sorted: it holds only that seller's open tickets.)
DROP INDEX tickets_by_account;
CREATE INDEX tickets_open_by_account ON tickets (account_id, updated_at DESC, id DESC) WHERE state <> 'closed';
CREATE INDEX tickets_closed_by_account ON tickets (account_id, updated_at DESC, id DESC) WHERE state = 'closed';
CREATE INDEX tickets_closed_by_seller ON tickets (seller_id, updated_at DESC, id DESC) WHERE state = 'closed';
