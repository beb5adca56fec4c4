-- indicator: figures pasted from a spreadsheet, published as a table and a chart.
--
--   ```indicator title="Kuntouttava työtoiminta, asiakkaat" unit="asiakasta"
--   Alue	1/2023	3/2023	5/2023	7/2023	8/2023
--   Keskinen	55	80	97	107	123
--   Läntinen	62	64	62	61	59
--   ```
--
-- Attributes: title, unit, src (a .tsv or .csv file of the region instead of
-- the block's text), source (named under the table), chart = line | bar |
-- none, total = yes | no, change = yes | no, decimals = 0..6.
--
-- The data: the first non-empty line is the header. Cells are separated by
-- tabs, else semicolons, else commas (a cell may be quoted: "Joensuu, keskusta").
-- The first column holds the row labels, the others numbers as people write
-- them: "1 234,5", "12.5", "−3". An empty cell, "-", "–" or ".." is missing.
-- A row called "Yhteensä" (or total, totalt, summa, "... yhteensä") is a
-- totals row, a column with such a header a totals column.
--
-- What the hook adds:
-- - totals, when the data has none and the unit counts things (no %, rate,
--   average, index, "per 1000" ...); without a unit only when total="yes".
--   A totals row (column sums) always; a totals column (row sums) when the
--   columns are not points in time, as summing a month's clients over months
--   would count people twice. Missing cells are left out of a sum, as in a
--   spreadsheet's SUM.
-- - the change from the first to the last column, absolute and in per cent
--   (absolute in percentage points when the unit is %), when the columns are
--   points in time ("2023", "1/2023", "2023-05", "Q1/2023", ...).
-- - a chart: lines over time, bars otherwise, with a title and a description
--   for screen readers. Series differ in lightness, so that they stay apart
--   in grey scale, and lines also in dash pattern and marker shape.
local el, fmt, svg_points = avoin.el, avoin.format_number, avoin.points

local TEXT = {
	fi = {
		total = "Yhteensä", change = "Muutos", change_pct = "Muutos, %",
		change_pp = "Muutos, %-yks.", missing = "ei tietoa", rows = "Rivi",
		line_chart = "Viivakaavio", bar_chart = "Pylväskaavio", source = "Lähde",
		note = "Luvut ovat myös taulukossa.", title = "Tilasto",
	},
	sv = {
		total = "Totalt", change = "Förändring", change_pct = "Förändring, %",
		change_pp = "Förändring, %-enheter", missing = "uppgift saknas", rows = "Rad",
		line_chart = "Linjediagram", bar_chart = "Stapeldiagram", source = "Källa",
		note = "Siffrorna finns också i tabellen.", title = "Statistik",
	},
	en = {
		total = "Total", change = "Change", change_pct = "Change, %",
		change_pp = "Change, percentage points", missing = "no data", rows = "Row",
		line_chart = "Line chart", bar_chart = "Bar chart", source = "Source",
		note = "The figures are also in the table.", title = "Statistics",
	},
}

-- Four colours whose lightness (CIE L* 15, 33, 46, 59) differs enough to tell
-- them apart in grey scale, each with at least 3:1 contrast against white.
local PALETTE = { "#0b2545", "#8c2d04", "#117a65", "#d9730d" }
local DASHES = { false, "7 4", "2 3", "9 3 2 3" }
local MARKERS = { "circle", "square", "triangle", "diamond" }

local function lower(s)
	s = s:lower()
	if s:find("\195", 1, true) then
		s = s:gsub("Ä", "ä"):gsub("Ö", "ö"):gsub("Å", "å")
	end
	return s
end

-- Linear in the length: "%s+$" tried at every position of a long run of
-- blanks inside a cell would cost the square of the run.
local function trim(s)
	local i = s:find("%S")
	if not i then
		return ""
	end
	return s:sub(i, (s:find("%S%s*$", i)))
end

local TOTAL_WORDS = { ["yhteensä"] = true, ["yht"] = true, ["yht."] = true, ["summa"] = true,
	["total"] = true, ["totals"] = true, ["totalt"] = true, ["sammanlagt"] = true,
	["sum"] = true }

local function is_total(label)
	local l = lower(trim(label))
	return TOTAL_WORDS[l] or l:find(" yhteensä$") ~= nil or l:find(" totalt$") ~= nil
		or l:find(" total$") ~= nil
end

local MONTHS = { "tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys",
	"loka", "marras", "joulu", "jan", "feb", "mar", "apr", "maj", "may", "jun", "jul", "aug",
	"sep", "okt", "oct", "nov", "dec" }

local TIME_PATTERNS = { "^%d%d%d%d$", "^%d%d?/%d%d%d%d$", "^%d%d%d%d[-/]%d%d?$",
	"^[qh]%d[/ ]?%d%d%d%d$", "^%d%d%d%d ?[qh]%d$", "^%d%d?%.%d%d?%.%d%d%d%d$",
	"^%d%d%d%d%-%d%d%-%d%d$", "^%d%d?%-%d%d?/%d%d%d%d$", "^%d%d%d%d/%d%d$",
	"^%d%d%d%d%-%d%d%d%d$" }

-- A column header that names a point or period in time: 2023, 1/2023, Q1/2023, tammikuu 2023...
local function is_time(header)
	local h = lower(trim(header)):gsub("–", "-")
	for _, p in ipairs(TIME_PATTERNS) do
		if h:find(p) then
			return true
		end
	end
	local word = h:match("^(%S+)%s+%d%d%d%d$")
	if word then
		for _, m in ipairs(MONTHS) do
			if word:sub(1, #m) == m then
				return true
			end
		end
	end
	return false
end

-- Units whose values cannot be added up.
local NOT_ADDITIVE = { "%%", "‰", "prosent", "promille", "osuus", "keskiarvo", "mediaani",
	"indeksi", "suhde", "kohden", "kohti", "per ", "/ ?%d", "ikävakioi", "andel", "medel",
	"index", "share", "rate", "average", "mean", "median", "ratio" }

local function additive(unit)
	local u = lower(unit)
	for _, p in ipairs(NOT_ADDITIVE) do
		if u:find(p) then
			return false
		end
	end
	return true
end

local MISSING = { [""] = true, ["-"] = true, ["–"] = true, ["—"] = true, [".."] = true,
	["…"] = true, ["."] = true }

-- ---- reading the figures -------------------------------------------------------

local function lines_of(text)
	local out = {}
	text = text:gsub("\r\n?", "\n")
	for line in (text .. "\n"):gmatch("([^\n]*)\n") do
		out[#out + 1] = line
	end
	return out
end

-- A quoted cell starting after the quote at k: its text and where it ends.
local function quoted(line, k, where)
	local parts = {}
	while true do
		local q = line:find('"', k, true)
		if not q then
			avoin.error(where .. ": a quoted cell is not closed")
		end
		parts[#parts + 1] = line:sub(k, q - 1)
		if line:sub(q + 1, q + 1) ~= '"' then
			return table.concat(parts), q + 1
		end
		parts[#parts + 1] = '"'
		k = q + 2
	end
end

-- One line into trimmed cells; where names the line in errors.
local function split(line, sep, where)
	local cells, i = {}, 1
	while true do
		local cell, next_at
		local j = line:find("[^ ]", i) or #line + 1
		if line:sub(j, j) == '"' then
			local text, after = quoted(line, j + 1, where)
			local s = line:find(sep, after, true)
			if line:sub(after, (s or #line + 1) - 1):find("%S") then
				avoin.error(where .. ": text after the closing quote of a cell")
			end
			cell, next_at = text, s
		else
			local s = line:find(sep, i, true)
			cell, next_at = line:sub(i, (s or #line + 1) - 1), s
		end
		cells[#cells + 1] = trim(cell)
		if not next_at then
			return cells
		end
		i = next_at + 1
	end
end

local function separator(line)
	for _, sep in ipairs({ "\t", ";", "," }) do
		if line:find(sep, 1, true) then
			return sep
		end
	end
	return nil
end

-- The figures as { header, rows = { {label, values, total, row} }, decimals }.
local function parse(text, where)
	local lines = lines_of(text)
	local first
	for i, line in ipairs(lines) do
		if line:find("%S") then
			first = i
			break
		end
	end
	if not first then
		avoin.error(where .. "no data: expected a header row and at least one row of "
			.. "figures")
	end
	local sep = separator(lines[first])
	if not sep then
		avoin.error(where .. "the header row has one column; separate the columns with "
			.. "tabs, semicolons or commas")
	end
	local header = split(lines[first], sep, where .. "row " .. first)
	local ncol = #header
	local rows, decimals = {}, 0
	for i = first + 1, #lines do
		if lines[i]:find("%S") then
			local cells = split(lines[i], sep, where .. "row " .. i)
			local label = cells[1]
			local what = ("%srow %d ('%s')"):format(where, i, label)
			local ragged = #cells < ncol
			for k = ncol + 1, #cells do
				ragged = ragged or cells[k] ~= ""
			end
			if ragged then
				avoin.error(("%s has %d cells, expected %d as in the header")
					:format(what, #cells, ncol))
			end
			local values = {}
			for k = 2, ncol do
				local c = cells[k]
				if not MISSING[c] then
					local v, dec = avoin.parse_number(c)
					if not v then
						local f = "%s, column '%s': '%s' is not a number"
						avoin.error(f:format(what, header[k], c))
					end
					values[k - 1] = v
					decimals = math.max(decimals, dec)
				end
			end
			rows[#rows + 1] = { label = label, values = values, total = is_total(label),
				row = i }
		end
	end
	if #rows == 0 then
		avoin.error(where .. "there is a header but no rows of figures")
	end
	return { header = header, rows = rows, decimals = decimals }
end

local function sum(values, cols)
	local s, any = 0, false
	for _, j in ipairs(cols) do
		if values[j] then
			s, any = s + values[j], true
		end
	end
	return any and s or nil
end

-- How to show the figures: which columns are series, what to add.
local function plan(d, attrs, unit)
	local header = d.header
	local p = { n = #header - 1, series = {}, body = {}, totals = {} }
	for j = 1, p.n do
		if is_total(header[j + 1]) and not p.total_col then
			p.total_col = j
		else
			p.series[#p.series + 1] = j
		end
	end
	p.over_time = #p.series > 0
	for _, j in ipairs(p.series) do
		p.over_time = p.over_time and is_time(header[j + 1])
	end
	if attrs.chart == "line" or attrs.chart == "bar" then
		p.over_time = attrs.chart == "line"
	end
	for _, r in ipairs(d.rows) do
		local list = r.total and p.totals or p.body
		list[#list + 1] = r
	end
	local can_add = attrs.total == "yes"
		or (attrs.total ~= "no" and unit ~= "" and additive(unit))
	p.add_col = can_add and not p.total_col and not p.over_time and #p.series > 1
	p.add_row = can_add and #p.totals == 0 and #p.body > 1
	p.change = attrs.change == "yes"
		or (attrs.change ~= "no" and p.over_time and #p.series > 1)
	p.width = p.n + (p.add_col and 1 or 0)
	p.first, p.last = p.series[1], p.series[#p.series]
	return p
end

-- ---- the table ------------------------------------------------------------------

local function table_html(d, p, c)
	local t, header = c.t, d.header
	local function num_td(v, dec, signed)
		if v == nil then
			return el("td", { class = "num missing" },
				el("span", { ["aria-hidden"] = "true" }, "–"),
				el("span", { class = "visually-hidden" }, t.missing))
		end
		local s = fmt(v, dec, c.lang)
		if signed and v > 0 and s:find("[1-9]") then
			s = "+" .. s
		end
		return el("td", { class = "num" }, s)
	end
	local function cells_of(values)
		local cells = {}
		for j = 1, p.n do
			cells[j] = values[j]
		end
		if p.add_col then
			cells[p.n + 1] = sum(values, p.series)
		end
		return cells
	end
	local function tr(r, cells, comparable)
		local out = { el("th", { scope = "row" }, r.label) }
		for j = 1, p.width do
			out[#out + 1] = num_td(cells[j], c.decimals)
		end
		if p.change then
			local a, b = r.values[p.first], r.values[p.last]
			local abs, pct
			if comparable ~= false and a and b then
				abs, pct = b - a, a ~= 0 and (b - a) / math.abs(a) * 100 or nil
			end
			out[#out + 1] = num_td(abs, c.decimals, true)
			out[#out + 1] = num_td(pct, 1, true)
		end
		return el("tr", nil, out)
	end
	local function th(text)
		return el("th", { scope = "col", class = "num" }, text)
	end

	local first = header[1] ~= "" and header[1]
		or el("span", { class = "visually-hidden" }, t.rows)
	local head = { el("th", { scope = "col" }, first) }
	for j = 1, p.n do
		head[#head + 1] = th(header[j + 1])
	end
	if p.add_col then
		head[#head + 1] = th(t.total)
	end
	if p.change then
		head[#head + 1] = th(c.unit:find("%", 1, true) and t.change_pp or t.change)
		head[#head + 1] = th(t.change_pct)
	end
	local tbody, tfoot, all = {}, {}, {}
	for _, r in ipairs(p.body) do
		local cells = cells_of(r.values)
		all[#all + 1] = cells
		tbody[#tbody + 1] = tr(r, cells)
	end
	for _, r in ipairs(p.totals) do
		tfoot[#tfoot + 1] = tr(r, cells_of(r.values))
	end
	if p.add_row then
		-- The change of the totals compares like with like only if all rows have both ends.
		local comparable = true
		for _, r in ipairs(p.body) do
			local v = r.values
			comparable = comparable and v[p.first] ~= nil and v[p.last] ~= nil
		end
		local totals = {}
		for j = 1, p.width do
			local s, any = 0, false
			for _, cells in ipairs(all) do
				if cells[j] then
					s, any = s + cells[j], true
				end
			end
			totals[j] = any and s or nil
		end
		tfoot[#tfoot + 1] = tr({ label = t.total, values = totals }, totals, comparable)
	end
	local unit = c.unit ~= ""
		and { " ", el("span", { class = "indicator-unit" }, "(" .. c.unit .. ")") }
	return el("table", { class = "indicator-table" },
		el("caption", nil, c.title, unit or nil),
		el("thead", nil, el("tr", nil, head)),
		el("tbody", nil, tbody),
		#tfoot > 0 and el("tfoot", nil, tfoot) or nil)
end

-- ---- the chart ------------------------------------------------------------------

-- A coordinate rounded to a tenth; whole numbers as integers, so that they print as "92".
local function num(x)
	local r = math.floor(x * 10 + 0.5) / 10
	return math.tointeger(r) or r
end

-- A tidy axis: lo, hi and step, with about five steps, and the decimals a step needs.
local function axis(minv, maxv)
	local lo, hi = math.min(0, minv), math.max(0, maxv)
	if hi == lo then
		hi = lo + 1
	end
	local raw = (hi - lo) / 5
	local mag = 10 ^ math.floor(math.log(raw, 10))
	local step = mag * 10
	for _, m in ipairs({ 1, 2, 2.5, 5, 10 }) do
		if m * mag >= raw - 1e-12 then
			step = m * mag
			break
		end
	end
	lo = math.floor(lo / step + 1e-9) * step
	hi = math.ceil(hi / step - 1e-9) * step
	local dec = 0
	while dec < 4 and math.abs(step * 10 ^ dec - math.floor(step * 10 ^ dec + 0.5)) > 1e-9 do
		dec = dec + 1
	end
	return lo, hi, step, dec
end

local function label(x, y, anchor, text)
	return el("text", { x = num(x), y = num(y), ["text-anchor"] = anchor,
		["dominant-baseline"] = "middle", ["font-size"] = 12, fill = "#222222" }, text)
end

local function marker(kind, x, y, colour)
	local a = { fill = colour, stroke = "#ffffff", ["stroke-width"] = 1 }
	if kind == "circle" then
		a.cx, a.cy, a.r = num(x), num(y), 4
		return el("circle", a)
	elseif kind == "square" then
		a.x, a.y, a.width, a.height = num(x - 3.5), num(y - 3.5), 7, 7
		return el("rect", a)
	end
	a.points = svg_points(kind == "triangle" and { x, y - 5, x + 4.5, y + 3.5, x - 4.5, y + 3.5 }
		or { x, y - 5, x + 5, y, x, y + 5, x - 5, y })
	return el("polygon", a)
end

-- Series 1-4 differ in all three; from the fifth on, marker and dash shift
-- against the colour, so that no two of the first sixteen look the same.
local function line_style(i)
	local k, cycle = i - 1, (i - 1) // 4
	return PALETTE[k % 4 + 1], DASHES[(k + 2 * cycle) % 4 + 1], MARKERS[(k + cycle) % 4 + 1]
end

local W, LEFT, RIGHT, TOP, PLOT_H, XLAB_H, LEG_ROW = 640, 64, 16, 16, 220, 32, 20
local PLOT_W = W - LEFT - RIGHT

local function legend_y(i)
	return TOP + PLOT_H + XLAB_H + (i - 1) * LEG_ROW + 10
end

-- Lines: one per series over the points, broken where a value is missing.
local function lines(g, series, points)
	local pad = 28 -- room for the first and last label
	local function x(j)
		if #points == 1 then
			return LEFT + PLOT_W / 2
		end
		return LEFT + pad + (j - 1) * (PLOT_W - 2 * pad) / (#points - 1)
	end
	local every = math.max(1, math.ceil(#points / 10))
	for j, p in ipairs(points) do
		if (j - 1) % every == 0 or j == #points then
			g.marks[#g.marks + 1] = label(x(j), TOP + PLOT_H + 18, "middle", p)
		end
	end
	for i, s in ipairs(series) do
		local colour, dash, shape = line_style(i)
		local parts, run = {}, {}
		local function flush()
			if #run > 2 then
				parts[#parts + 1] = el("polyline", {
					points = svg_points(run), fill = "none",
					stroke = colour, ["stroke-width"] = 2.5,
					["stroke-dasharray"] = dash or nil,
					["stroke-linejoin"] = "round" })
			end
			run = {}
		end
		for j = 1, #points do
			local v = s.values[j]
			if v then
				run[#run + 1] = x(j)
				run[#run + 1] = g.y(v)
			else
				flush()
			end
		end
		flush()
		for j = 1, #points do
			if s.values[j] then
				parts[#parts + 1] = marker(shape, x(j), g.y(s.values[j]), colour)
			end
		end
		g.marks[#g.marks + 1] = el("g", { class = "indicator-series" }, parts)
		local ly = legend_y(i)
		g.legend[#g.legend + 1] = el("g", nil,
			el("line", { x1 = LEFT, x2 = LEFT + 28, y1 = ly, y2 = ly, stroke = colour,
				["stroke-width"] = 2.5, ["stroke-dasharray"] = dash or nil }),
			marker(shape, LEFT + 14, ly, colour),
			label(LEFT + 36, ly, "start", s.label))
	end
end

-- Bars: a group per point, a bar per series; past four series every other
-- round of colours is hatched.
local function bars(g, series, points, id)
	local group_w = PLOT_W / #points
	local bar_w = group_w * 0.8 / #series
	local hatch = #series > 4
	if hatch then
		g.defs = el("defs", nil, el("pattern", { id = id .. "-hatch", width = 6, height = 6,
			patternUnits = "userSpaceOnUse", patternTransform = "rotate(45)" },
			el("line", { x1 = 0, y1 = 0, x2 = 0, y2 = 6, stroke = "#ffffff",
				["stroke-width"] = 2 })))
	end
	local function bar(i, bx, by, bw, bh)
		local box = { x = num(bx), y = num(by), width = num(bw), height = num(bh) }
		local r = { el("rect", { x = box.x, y = box.y, width = box.width,
			height = box.height, fill = PALETTE[(i - 1) % 4 + 1], stroke = "#1a1a1a",
			["stroke-width"] = 0.5 }) }
		if hatch and (i - 1) // 4 % 2 == 1 then
			box.fill = "url(#" .. id .. "-hatch)"
			r[2] = el("rect", box)
		end
		return r
	end
	local every = math.max(1, math.ceil(#points / 10))
	for j, p in ipairs(points) do
		local gx = LEFT + (j - 1) * group_w + group_w * 0.1
		for i, s in ipairs(series) do
			local v = s.values[j]
			if v then
				local top_y = g.y(math.max(v, 0))
				local bottom_y = g.lo > 0 and g.y(g.lo) or g.y(math.min(v, 0))
				local h = math.max(bottom_y - top_y, 0.5)
				local bx = gx + (i - 1) * bar_w
				g.marks[#g.marks + 1] = bar(i, bx, top_y, bar_w, h)
			end
		end
		if (j - 1) % every == 0 then
			local lx = LEFT + (j - 0.5) * group_w
			g.marks[#g.marks + 1] = label(lx, TOP + PLOT_H + 18, "middle", p)
		end
	end
	if #series > 1 then
		for i, s in ipairs(series) do
			local ly = legend_y(i)
			g.legend[#g.legend + 1] = el("g", nil, bar(i, LEFT, ly - 7, 14, 14),
				label(LEFT + 22, ly, "start", s.label))
		end
	end
end

-- The chart: series = { {label, values = {by point}} }, points = the labels along x.
local function chart(id, kind, series, points, title, desc, lang)
	local minv, maxv
	for _, s in ipairs(series) do
		for j = 1, #points do
			local v = s.values[j]
			if v then
				minv, maxv = math.min(minv or v, v), math.max(maxv or v, v)
			end
		end
	end
	if not minv then
		return nil
	end
	local lo, hi, step, dec = axis(minv, maxv)
	local g = { lo = lo, marks = {}, legend = {} }
	function g.y(v)
		return TOP + PLOT_H - (v - lo) / (hi - lo) * PLOT_H
	end
	local grid = {}
	for k = 0, math.floor((hi - lo) / step + 0.5) do
		local v = lo + k * step
		local yy = num(g.y(v))
		grid[#grid + 1] = el("line", { x1 = LEFT, x2 = W - RIGHT, y1 = yy, y2 = yy,
			stroke = math.abs(v) < step / 2 and "#555555" or "#d0d0d0",
			["stroke-width"] = 1 })
		grid[#grid + 1] = label(LEFT - 6, yy, "end", fmt(v, dec, lang))
	end
	if kind == "line" then
		lines(g, series, points)
	else
		bars(g, series, points, id)
	end
	local height = TOP + PLOT_H + XLAB_H + #g.legend * LEG_ROW + 8
	return el("svg", { class = "indicator-chart", role = "img", focusable = "false",
		viewBox = ("0 0 %d %d"):format(W, height), width = W, height = height,
		["aria-labelledby"] = id .. "-title " .. id .. "-desc" },
		el("title", { id = id .. "-title" }, title),
		el("desc", { id = id .. "-desc" }, desc),
		g.defs, el("g", { class = "indicator-grid" }, grid), g.marks,
		#g.legend > 0 and el("g", { class = "indicator-legend" }, g.legend) or nil)
end

-- The chart's series and its text alternative: what a screen reader says instead.
local function chart_html(d, p, c, id)
	local t, header = c.t, d.header
	local function show(v)
		return v and fmt(v, c.decimals, c.lang) or t.missing
	end
	local unit = c.unit ~= "" and (" (" .. c.unit .. ")") or ""
	local points, series, desc = {}, {}, {}
	if p.over_time then
		for _, j in ipairs(p.series) do
			points[#points + 1] = header[j + 1]
		end
		desc[1] = ("%s: %s%s, %s–%s."):format(t.line_chart, c.title, unit, points[1],
			points[#points])
		for _, r in ipairs(p.body) do
			local vals = {}
			for k, j in ipairs(p.series) do
				vals[k] = r.values[j]
			end
			series[#series + 1] = { label = r.label, values = vals }
			local a, b = show(r.values[p.first]), show(r.values[p.last])
			desc[#desc + 1] = ("%s: %s → %s."):format(r.label, a, b)
		end
	else
		desc[1] = ("%s: %s%s."):format(t.bar_chart, c.title, unit)
		for _, r in ipairs(p.body) do
			points[#points + 1] = r.label
			local parts = {}
			for _, j in ipairs(p.series) do
				local name = #p.series > 1 and (header[j + 1] .. " ") or ""
				parts[#parts + 1] = name .. show(r.values[j])
			end
			desc[#desc + 1] = ("%s: %s."):format(r.label, table.concat(parts, ", "))
		end
		for _, j in ipairs(p.series) do
			local vals = {}
			for k, r in ipairs(p.body) do
				vals[k] = r.values[j]
			end
			series[#series + 1] = { label = header[j + 1], values = vals }
		end
	end
	desc[#desc + 1] = t.note
	return chart(id, p.over_time and "line" or "bar", series, points, c.title .. unit,
		table.concat(desc, " "), c.lang)
end

-- ---- the hook ---------------------------------------------------------------------

-- The block's text, or the src= file's, and how errors name where the figures are.
local function figures(block)
	local attrs, text = block.attrs, block.text or ""
	if not attrs.src or attrs.src == "" then
		return text, ""
	end
	if text:find("%S") then
		avoin.error("give the figures either in the block or in src=, not both")
	end
	local data, path = avoin.read(attrs.src)
	if not data then
		avoin.error("src: " .. path)
	end
	return data, ("'%s' "):format(path)
end

return function(block, record, site)
	local attrs = block.attrs or {}
	local lang = record.lang or (site.languages and site.languages[1]) or "fi"
	if not TEXT[lang] then
		lang = "fi"
	end
	local chart_kind = attrs.chart
	if chart_kind and chart_kind ~= "line" and chart_kind ~= "bar" and chart_kind ~= "none" then
		avoin.error(("chart must be line, bar or none (got '%s')"):format(chart_kind))
	end
	local d = parse(figures(block))
	local c = { t = TEXT[lang], lang = lang, decimals = math.min(d.decimals, 3) }
	if attrs.decimals then
		c.decimals = math.tointeger(tonumber(attrs.decimals))
		if not c.decimals or c.decimals < 0 or c.decimals > 6 then
			avoin.error(("decimals must be a whole number from 0 to 6 (got '%s')")
				:format(attrs.decimals))
		end
	end
	c.unit = attrs.unit and trim(attrs.unit) or ""
	c.title = attrs.title and trim(attrs.title) ~= "" and trim(attrs.title) or c.t.title
	local p = plan(d, attrs, c.unit)
	local svg
	if chart_kind ~= "none" and #p.body > 0 and #p.series > 0 then
		-- named by the block's place among the body's blocks, not its line: an edit above
		-- it leaves the chart (and so its cached result) as it was
		svg = chart_html(d, p, c, ("indicator-%d"):format(block.index or block.line or 0))
	end
	local figcaption
	if attrs.source and trim(attrs.source) ~= "" then
		figcaption = el("figcaption", nil, c.t.source .. ": " .. trim(attrs.source))
	end
	-- the table scrolls sideways on a phone: a region with a name that a keyboard can reach
	local scroll = { class = "indicator-scroll", tabindex = "0", ["aria-label"] = c.title }
	return el("figure", { class = "indicator" },
		el("section", scroll, table_html(d, p, c)), svg, figcaption)
end
