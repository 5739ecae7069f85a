//! Which attachments a bundle carries (the rest of the selection is in `export`): those of
//! every record that travels, and those made since the last export, which pull their target in.
//! The office's ledger carries only the photos of hazards not yet closed out: what a laptop
//! compares at a 复查; the rest is the office's archive, and would outgrow any bundle.

/// Attachments made since, whose target may travel: they go, and pull their target in (a
/// hazard step with its hazard and the hazard's other steps, so it lands at its place).
pub(super) const NEW_ATTACHMENTS: &str = "
INSERT INTO x_attachments SELECT a.id FROM attachments a WHERE a.created_at >= :since AND (
    (a.target_kind IN ('inspection', 'answer')
        AND (SELECT status FROM inspections i WHERE i.id = a.target_id) = 'finalized')
 OR (a.target_kind = 'evidence' AND (SELECT i.status FROM evidence_records e
        JOIN inspections i ON i.id = e.inspection_id WHERE e.id = a.target_id) = 'finalized')
 OR (a.target_kind = 'hazard' AND a.target_id IN (SELECT id FROM x_shippable_hazards))
 OR (a.target_kind = 'hazard_event' AND (SELECT hazard_id FROM hazard_events e
        WHERE e.id = a.target_id) IN (SELECT id FROM x_shippable_hazards))
 OR (a.target_kind = 'action' AND a.target_id IN (SELECT a2.id FROM enforcement_actions a2
        WHERE (a2.inspection_id IS NULL
               OR (SELECT status FROM inspections i WHERE i.id = a2.inspection_id) = 'finalized')
          AND (a2.hazard_id IS NULL OR a2.hazard_id IN (SELECT id FROM x_shippable_hazards)))));
CREATE TEMP TABLE IF NOT EXISTS x_attachment_targets (kind TEXT, id TEXT);
DELETE FROM x_attachment_targets;
INSERT INTO x_attachment_targets SELECT target_kind, target_id FROM attachments
    WHERE id IN (SELECT id FROM x_attachments);
INSERT OR IGNORE INTO x_inspections SELECT id FROM x_attachment_targets
    WHERE kind IN ('inspection', 'answer');
INSERT OR IGNORE INTO x_inspections SELECT inspection_id FROM evidence_records
    WHERE id IN (SELECT id FROM x_attachment_targets WHERE kind = 'evidence');
INSERT OR IGNORE INTO x_enforcement_actions SELECT id FROM x_attachment_targets
    WHERE kind = 'action';
INSERT OR IGNORE INTO x_hazards SELECT id FROM x_attachment_targets WHERE kind = 'hazard';
INSERT OR IGNORE INTO x_hazards SELECT hazard_id FROM hazard_events
    WHERE id IN (SELECT id FROM x_attachment_targets WHERE kind = 'hazard_event');
INSERT OR IGNORE INTO x_hazard_events SELECT id FROM hazard_events
    WHERE hazard_id IN (SELECT hazard_id FROM hazard_events
        WHERE id IN (SELECT id FROM x_attachment_targets WHERE kind = 'hazard_event'));
DROP TABLE temp.x_attachment_targets;
";

/// Every attachment of a record that travels goes with it (a draft's stay home).
pub(super) const ATTACHMENTS_OF_TARGETS: &str = "
INSERT OR IGNORE INTO x_attachments SELECT a.id FROM attachments a WHERE
    (a.target_kind IN ('inspection', 'answer') AND a.target_id IN
        (SELECT id FROM inspections WHERE status = 'finalized'
             AND id IN (SELECT id FROM x_inspections)))
 OR (a.target_kind = 'evidence' AND a.target_id IN (SELECT e.id FROM evidence_records e
        JOIN inspections i ON i.id = e.inspection_id
        WHERE i.status = 'finalized' AND i.id IN (SELECT id FROM x_inspections)))
 OR (a.target_kind = 'hazard' AND a.target_id IN (SELECT id FROM x_hazards)
        AND a.target_id IN (SELECT id FROM x_shippable_hazards))
 OR (a.target_kind = 'hazard_event' AND a.target_id IN (SELECT id FROM x_hazard_events))
 OR (a.target_kind = 'action' AND a.target_id IN (SELECT id FROM x_enforcement_actions));
";

/// The ledger's attachments: those of each travelling hazard not closed out and of its steps.
pub(super) const LEDGER_ATTACHMENTS: &str = "
CREATE TEMP TABLE IF NOT EXISTS x_open_hazards (id TEXT PRIMARY KEY);
DELETE FROM x_open_hazards;
INSERT INTO x_open_hazards SELECT id FROM x_hazards h
    WHERE h.id IN (SELECT id FROM x_shippable_hazards)
      AND NOT EXISTS (SELECT 1 FROM hazard_events e
                      WHERE e.hazard_id = h.id AND e.kind = 'closed_out');
INSERT OR IGNORE INTO x_attachments SELECT a.id FROM attachments a WHERE
    (a.target_kind = 'hazard' AND a.target_id IN (SELECT id FROM x_open_hazards))
 OR (a.target_kind = 'hazard_event' AND a.target_id IN (SELECT e.id FROM hazard_events e
        WHERE e.hazard_id IN (SELECT id FROM x_open_hazards)
          AND e.id IN (SELECT id FROM x_hazard_events)));
DROP TABLE temp.x_open_hazards;
";
