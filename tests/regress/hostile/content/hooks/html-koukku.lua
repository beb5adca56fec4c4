-- returns HTML a browser must get exactly as the sanitiser checked it
return function(block)
  return '<p title="a&quot;b">teksti &amp; <a href="/vaara/luvut/">linkki</a> < ></p>'
    .. '<svg viewBox="0 0 10 10"><title>kuva</title><path d="M0 0L10 10"/></svg>'
end
