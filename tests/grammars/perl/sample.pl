# a line comment

=pod

A POD block.

=cut

sub total {
    my ($prices, $k) = @_;
    my $sum = 0;
    my @list;
    our %seen;
    $sum = $k;
    $sum += 1;
    $sum .= "";
    foreach my $p (@$prices) { $sum = $sum + $p; }
    for (my $i = 0; $i < 3; $i++) { $sum = $sum + $i; }
    if ($sum > 10) { $sum = 10; } elsif ($sum > 5) { $sum = 5; } else { ++$sum; }
    if ($sum > 1) { $sum = 1; } elsif ($sum > 0) { $sum = 0; } elsif ($sum < -5) { $sum = -5; }
    if ($sum == 3) { $sum = 4; } else { $sum = 2; }
    while ($sum > 100) { $sum--; }
    my $twice = sub { return $_[0] * 2; };
    return $twice->($sum) + helper(scalar(@list)) + $seen{a};
}

sub helper { return $_[0]; }
