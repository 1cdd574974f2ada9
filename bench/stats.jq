# The bookmark tag-stats job in jq, one input line at a time (-R, so a bad line is skipped, not fatal):
# what a data engineer might write without Tally. bench/run.sh sorts the rows by id with LC_ALL=C sort.
fromjson?
| select(type == "object" and has("tags"))
| select((.tags | type) == "array" and (.tags | length) > 0
         and all(.tags[]; type == "object" and (.term | type) == "string"))
| select((.updated | type) == "string")
| (.updated | split(",") | join("") | split(" ")) as $u
| select(($u | length) >= 5)
| ($u[4] | split(":")) as $t
| select(($t | length) >= 3)
| select((.id | type) == "string")
| [.tags[].term | length] as $lens
| ([$lens[] | select(. < 10)] | add // 0) as $sum
| [.id, $u[0], $u[2], $u[3], $t[0], $t[1], $t[2], (.tags | length), $sum, $sum / (.tags | length)]
  + [range(10) as $k | [$lens[] | select(. == $k)] | length]
| @tsv
