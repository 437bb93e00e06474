package org.statemigration.smp.retention;

/**
 * What one retention pass deleted.
 * @param data associations whose restored data was deleted
 * @param uploads unfinished uploads discarded
 * @param associations association records removed
 */
public record RetentionPass(int data, int uploads, int associations) {
}
