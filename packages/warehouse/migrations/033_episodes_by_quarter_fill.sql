-- The current row of every episode, under the same month filed.
INSERT INTO episodes_by_quarter SELECT * FROM episodes FINAL
