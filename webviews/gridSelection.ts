// The grid's selection: a rectangle from an anchor cell to a focus cell, or whole rows when it was
// started from a row number (copied with the header then). No DOM here: grid.ts turns clicks and
// keys into these calls and paints what `has` says.

export interface Cellpos {
  row: number;
  col: number;
}

/** What a copy sends the host: the rectangle, inclusive, and whether the header goes with it. */
export interface SelectionRange {
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
  withHeader: boolean;
}

export class GridSelection {
  private anchor: Cellpos | undefined;
  private focus: Cellpos | undefined;
  private wholeRows = false;

  clear(): void {
    this.anchor = this.focus = undefined;
    this.wholeRows = false;
  }

  has(row: number, col: number): boolean {
    const r = this.range();
    return !!r && row >= r.rowStart && row <= r.rowEnd && col >= r.colStart && col <= r.colEnd;
  }

  range(): SelectionRange | undefined {
    if (!this.anchor || !this.focus) return undefined;
    return {
      rowStart: Math.min(this.anchor.row, this.focus.row),
      rowEnd: Math.max(this.anchor.row, this.focus.row),
      colStart: Math.min(this.anchor.col, this.focus.col),
      colEnd: Math.max(this.anchor.col, this.focus.col),
      withHeader: this.wholeRows,
    };
  }

  /** A click on a row number: that whole row, or up to it with Shift. */
  selectRow(row: number, lastCol: number, extend: boolean): void {
    if (extend && this.anchor) this.focus = { row, col: lastCol };
    else {
      this.anchor = { row, col: 0 };
      this.focus = { row, col: lastCol };
    }
    this.wholeRows = true;
  }

  /** A click on a cell: that cell, or up to it with Shift. */
  selectCell(pos: Cellpos, extend: boolean): void {
    if (extend && this.anchor) this.focus = pos;
    else {
      this.anchor = this.focus = pos;
      this.wholeRows = false;
    }
  }

  /**
   * An arrow key: moves the focus by (dRow, dCol) inside the table, extending the selection with
   * Shift. Returns the new focus, or undefined when nothing is selected to move from.
   */
  move(dRow: number, dCol: number, rows: number, cols: number, extend: boolean): Cellpos | undefined {
    if (!this.focus) return undefined;
    const row = Math.max(0, Math.min(rows - 1, this.focus.row + dRow));
    const col = Math.max(0, Math.min(cols - 1, this.focus.col + dCol));
    this.focus = { row, col };
    if (!extend) {
      this.anchor = this.focus;
      this.wholeRows = false;
    }
    return this.focus;
  }
}
